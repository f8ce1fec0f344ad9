{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='doc_id',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_stale_document_rows(this) }}",
    )
}}

with

documents as (

    select * from {{ ref('int_documents') }}

),

sections as (

    select * from {{ ref('stg_sections') }}

),

tasks as (

    select * from {{ ref('stg_tasks') }}

),

indicators as (

    select * from {{ ref('stg_indicators') }}

),

anomalies as (

    select * from {{ ref('stg_anomalies') }}

),

changed_documents as (

    {{ changed_documents('documents', this) }}

),

scoped_documents as (

    select documents.*
    from documents
    semi join changed_documents
        on documents.doc_id = changed_documents.doc_id

),

section_counts as (

    select
        sections.doc_id,
        count(*) as section_count,
    from sections
    semi join changed_documents
        on sections.doc_id = changed_documents.doc_id
    group by sections.doc_id

),

task_counts as (

    select
        tasks.doc_id,
        count(*) as task_count,
    from tasks
    semi join changed_documents
        on tasks.doc_id = changed_documents.doc_id
    group by tasks.doc_id

),

indicator_counts as (

    select
        indicators.doc_id,
        count(*) as indicator_count,
        count(*) filter (where indicators.is_masked) as masked_indicator_count,
    from indicators
    semi join changed_documents
        on indicators.doc_id = changed_documents.doc_id
    group by indicators.doc_id

),

anomaly_counts as (

    select
        anomalies.doc_id,
        count(*) as anomaly_count,
    from anomalies
    semi join changed_documents
        on anomalies.doc_id = changed_documents.doc_id
    group by anomalies.doc_id

),

final as (

    select
        scoped_documents.doc_id,
        scoped_documents.source_path,
        scoped_documents.source_format,
        scoped_documents.encoding,
        scoped_documents.record_key,
        scoped_documents.title,
        scoped_documents.department,
        scoped_documents.region,
        scoped_documents.report_year,
        scoped_documents.report_period,
        case
            when scoped_documents.report_year is not null
                then scoped_documents.report_year::varchar
                    || '-' || coalesce(scoped_documents.report_period, 'FY')
        end as period_key,
        scoped_documents.char_count,
        coalesce(section_counts.section_count, 0) as section_count,
        coalesce(task_counts.task_count, 0) as task_count,
        coalesce(indicator_counts.indicator_count, 0) as indicator_count,
        coalesce(indicator_counts.masked_indicator_count, 0) as masked_indicator_count,
        coalesce(anomaly_counts.anomaly_count, 0) as anomaly_count,
        scoped_documents.content_sha256,
        scoped_documents.first_seen_at,
        scoped_documents.is_current,
        scoped_documents.run_id,
        '{{ invocation_id }}' as dbt_invocation_id,

    from scoped_documents
    left join section_counts
        on scoped_documents.doc_id = section_counts.doc_id
    left join task_counts
        on scoped_documents.doc_id = task_counts.doc_id
    left join indicator_counts
        on scoped_documents.doc_id = indicator_counts.doc_id
    left join anomaly_counts
        on scoped_documents.doc_id = anomaly_counts.doc_id

)

select * from final
