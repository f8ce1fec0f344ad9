-- Indicators of current documents per domain, period, measure and base unit; copies excluded
-- from the totals but counted.

with

indicators as (

    select * from {{ ref('fct_indicators') }}
    where is_current

),

periods as (

    select * from {{ ref('dim_periods') }}

),

aggregated as (

    select
        coalesce(indicators.domain, '未分类') as domain,
        indicators.period_key,
        indicators.measure_kind,
        indicators.unit_base,
        indicators.status,
        count(*) filter (where not indicators.is_duplicate) as indicator_count,
        count(*) filter (where indicators.is_duplicate) as duplicate_count,
        count(*) filter (where indicators.is_masked and not indicators.is_duplicate) as masked_count,
        sum(indicators.value_base) filter (where not indicators.is_duplicate) as value_base_total,
        count(distinct indicators.doc_id) as document_count,
    from indicators
    group by all

),

final as (

    select
        aggregated.domain,
        aggregated.period_key,
        periods.period_year,
        periods.period_code,
        periods.period_start,
        periods.period_end,
        aggregated.measure_kind,
        aggregated.unit_base,
        aggregated.status,
        aggregated.indicator_count,
        aggregated.duplicate_count,
        aggregated.masked_count,
        aggregated.value_base_total,
        aggregated.document_count,
    from aggregated
    left join periods
        on aggregated.period_key = periods.period_key

)

select * from final
