with

source as (

    select * from {{ source('raw', 'indicators') }}

),

renamed as (

    select
        indicator_id,
        doc_id,
        section_id,
        task_id,
        nullif(trim(subject), '') as subject,
        quantity_text,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        sentence_text,
        cast(value as double) as value,
        cast(value_low as double) as value_low,
        cast(value_high as double) as value_high,
        nullif(trim(unit), '') as unit,
        qualifier,
        coalesce(is_masked, false) as is_masked,
        coalesce(comparison, 'none') as comparison,
        direction,
        status,
        cast(period_year as integer) as period_year,
        cast(line_no as integer) as line_no,
        run_id,

    from source

)

select * from renamed
