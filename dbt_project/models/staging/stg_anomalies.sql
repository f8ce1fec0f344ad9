with

source as (

    select * from {{ source('raw', 'anomalies') }}

),

renamed as (

    select
        doc_id,
        kind as anomaly_kind,
        message,
        cast(char_start as integer) as char_start,
        cast(line_no as integer) as line_no,
        run_id,

    from source

)

select * from renamed
