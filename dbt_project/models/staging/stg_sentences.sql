with

source as (

    select * from {{ source('raw', 'sentences') }}

),

renamed as (

    select
        sentence_id,
        doc_id,
        section_id,
        text as sentence_text,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(line_no as integer) as line_no,
        run_id,

    from source

)

select * from renamed
