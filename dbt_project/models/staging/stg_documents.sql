with

source as (

    select * from {{ source('raw', 'documents') }}

),

renamed as (

    select
        doc_id,
        content_sha256,
        source_path,
        source_format,
        encoding,
        record_key,
        text,
        cast(char_count as integer) as char_count,
        nullif(trim(title), '') as title,
        nullif(trim(department), '') as department,
        nullif(trim(region), '') as region,
        cast(report_year as integer) as report_year,
        nullif(trim(report_period), '') as report_period,
        cast(ingested_at as timestamp) as ingested_at,
        run_id,
        coalesce(is_current, true) as is_current,
        coalesce(length(trim(text)), 0) > 0 as has_text,

    from source

)

select * from renamed
