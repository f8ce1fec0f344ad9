{{ config(severity="warn") }}

-- Every unit the extractors emit is in the units seed, so every figure has a base value.
-- A failure names the units to add to seeds/units.csv.

select
    indicators.unit,
    count(*) as indicator_count,
    any_value(indicators.quantity_text) as example,
from {{ rows_built_now(ref('fct_indicators')) }} as indicators
anti join {{ ref('dim_units') }} as units
    on indicators.unit = units.unit
where indicators.unit is not null
group by indicators.unit
