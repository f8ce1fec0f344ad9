-- Work items of current documents per department and status, copies excluded.

with

tasks as (

    select * from {{ ref('fct_tasks') }}
    where is_current and not is_duplicate

),

documents as (

    select * from {{ ref('dim_documents') }}
    where is_current

),

aggregated as (

    select
        coalesce(documents.department, '未注明') as department,
        documents.report_year,
        tasks.status,
        count(*) as task_count,
        count(*) filter (where tasks.deadline_date is not null) as with_deadline_count,
        count(distinct tasks.doc_id) as document_count,
    from tasks
    inner join documents
        on tasks.doc_id = documents.doc_id
    group by all

),

final as (

    select
        *,
        task_count / sum(task_count) over (partition by department, report_year) as status_share,
    from aggregated

)

select * from final
