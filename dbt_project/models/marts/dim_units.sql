-- Units as written in the reports, with the base unit and factor that normalise them.

with

units as (

    select * from {{ ref('units') }}

),

final as (

    select
        trim(unit) as unit,
        trim(unit_base) as unit_base,
        cast(factor as double) as factor,
        trim(measure_kind) as measure_kind,
    from units
    where length(trim(unit)) > 0

)

select * from final
