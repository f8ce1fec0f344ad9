with

source as (

    select * from {{ source('raw', 'tasks') }}

),

renamed as (

    select
        task_id,
        doc_id,
        section_id,
        marker,
        lead,
        task_text,
        cast(char_start as integer) as char_start,
        cast(char_end as integer) as char_end,
        coalesce(status, 'unknown') as status,
        action_verb,
        deadline_text,
        cast(deadline_date as date) as deadline_date,
        cast(line_no as integer) as line_no,
        run_id,

    from source

)

select * from renamed
