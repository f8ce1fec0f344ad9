-- Every reporting period the marts refer to: the documents' report periods and the years the
-- indicators speak of, with the calendar dates each period covers.

with

documents as (

    select * from {{ ref('dim_documents') }}

),

indicators as (

    select * from {{ ref('fct_indicators') }}

),

period_keys as (

    select distinct period_key from documents where period_key is not null
    union
    select distinct period_key from indicators where period_key is not null

),

parsed as (

    select
        period_key,
        cast(split_part(period_key, '-', 1) as integer) as period_year,
        substr(period_key, strpos(period_key, '-') + 1) as period_code,
    from period_keys

),

bounded as (

    select
        period_key,
        period_year,
        period_code,
        case
            when period_code = 'FY' then 'year'
            when period_code in ('H1', 'H2') then 'half_year'
            when regexp_matches(period_code, '^Q[1-4]$') then 'quarter'
            when regexp_matches(period_code, '^M\d{2}(-M\d{2})?$') then 'months'
            else 'other'
        end as period_kind,
        case
            when period_code in ('FY', 'H1', 'Q1') then 1
            when period_code = 'H2' then 7
            when period_code = 'Q2' then 4
            when period_code = 'Q3' then 7
            when period_code = 'Q4' then 10
            when regexp_matches(period_code, '^M\d{2}')
                then cast(regexp_extract(period_code, '^M(\d{2})', 1) as integer)
        end as first_month,
        case
            when period_code in ('FY', 'H2', 'Q4') then 12
            when period_code in ('H1', 'Q2') then 6
            when period_code = 'Q1' then 3
            when period_code = 'Q3' then 9
            when regexp_matches(period_code, '^M\d{2}-M\d{2}$')
                then cast(regexp_extract(period_code, '-M(\d{2})$', 1) as integer)
            when regexp_matches(period_code, '^M\d{2}$')
                then cast(regexp_extract(period_code, '^M(\d{2})', 1) as integer)
        end as last_month,
    from parsed

),

final as (

    select
        period_key,
        period_year,
        period_code,
        period_kind,
        case
            when first_month between 1 and 12 then make_date(period_year, first_month, 1)
        end as period_start,
        case
            when last_month between 1 and 12
                then last_day(make_date(period_year, last_month, 1))
        end as period_end,
    from bounded

)

select * from final
