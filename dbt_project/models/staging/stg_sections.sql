with

source as (

    select * from {{ source('raw', 'sections') }}

),

renamed as (

    select
        section_id,
        doc_id,
        parent_section_id,
        cast(level as integer) as level,
        marker,
        cast(ordinal as integer) as ordinal,
        heading,
        cast(heading_start as integer) as heading_start,
        cast(heading_end as integer) as heading_end,
        coalesce(section_kind, 'other') as section_kind,
        path,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        cast(line_no as integer) as line_no,
        run_id,

    from source

)

select * from renamed
