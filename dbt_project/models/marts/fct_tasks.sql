{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='task_id',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_stale_document_rows(this) }}",
    )
}}

with

documents as (

    select * from {{ ref('int_documents') }}

),

tasks as (

    select * from {{ ref('stg_tasks') }}

),

indicators as (

    select * from {{ ref('stg_indicators') }}

),

sections as (

    select * from {{ ref('dim_sections') }}

),

domain_keywords as (

    select * from {{ ref('int_domain_keywords') }}

),

lookup_versions as (

    select * from {{ ref('int_lookup_versions') }}

),

changed_documents as (

    {{ changed_documents('documents', this, lookup_version='select domains_version from lookup_versions') }}

),

scoped_tasks as materialized (

    select
        tasks.*,
        documents.is_current,
        documents.run_id as document_run_id,
        {{ duplicate_key('tasks.task_text', prefix_chars=var('task_duplicate_prefix_chars')) }} as duplicate_key,
    from tasks
    inner join documents
        on tasks.doc_id = documents.doc_id
    semi join changed_documents
        on tasks.doc_id = changed_documents.doc_id

),

indicator_counts as (

    select
        indicators.task_id,
        count(*) as indicator_count,
    from indicators
    semi join changed_documents
        on indicators.doc_id = changed_documents.doc_id
    where indicators.task_id is not null
    group by indicators.task_id

),

text_domains as (

    {{ best_domain_match('scoped_tasks', 'task_id', 'task_text') }}

),

-- every occurrence of the texts this run touches, wherever it lives, so the original is known
{% if is_incremental() %}

affected_keys as (

    select duplicate_key from scoped_tasks

    union

    select duplicate_key
    from {{ this }}
    where doc_id in (select doc_id from changed_documents)

),

-- the other copies of those texts, in documents this run leaves alone
untouched_copies as (

    select
        existing.task_id,
        existing.doc_id,
        existing.char_start,
        existing.duplicate_key,
        existing.is_duplicate,
    from {{ this }} as existing
    where existing.duplicate_key in (select duplicate_key from affected_keys)
        and existing.doc_id not in (select doc_id from changed_documents)

),

occurrences as (

    select task_id, doc_id, char_start, duplicate_key from scoped_tasks
    union all
    select task_id, doc_id, char_start, duplicate_key from untouched_copies

),

{% else %}

occurrences as (

    select task_id, doc_id, char_start, duplicate_key from scoped_tasks

),

{% endif %}

ranked_occurrences as (

    select
        occurrences.task_id,
        occurrences.duplicate_key is not null
            and row_number() over (
                partition by occurrences.duplicate_key
                order by
                    documents.is_current desc,
                    documents.first_seen_at,
                    documents.source_path,
                    documents.record_order nulls last,
                    documents.record_key,
                    documents.doc_id,
                    occurrences.char_start,
                    occurrences.task_id
            ) > 1 as is_duplicate,
    from occurrences
    inner join documents
        on occurrences.doc_id = documents.doc_id

),

new_rows as (

    select
        scoped_tasks.task_id,
        scoped_tasks.doc_id,
        scoped_tasks.section_id,
        scoped_tasks.marker,
        scoped_tasks.lead,
        scoped_tasks.task_text,
        scoped_tasks.char_start,
        scoped_tasks.char_end,
        scoped_tasks.status,
        scoped_tasks.action_verb,
        scoped_tasks.deadline_text,
        scoped_tasks.deadline_date,
        coalesce(text_domains.domain, sections.domain) as domain,
        coalesce(indicator_counts.indicator_count, 0) as indicator_count,
        ranked_occurrences.is_duplicate,
        scoped_tasks.line_no,
        scoped_tasks.duplicate_key,
        scoped_tasks.is_current,
        scoped_tasks.document_run_id as run_id,
        (select domains_version from lookup_versions) as lookup_version,
        '{{ invocation_id }}' as dbt_invocation_id,

    from scoped_tasks
    inner join ranked_occurrences
        on scoped_tasks.task_id = ranked_occurrences.task_id
    left join text_domains
        on scoped_tasks.task_id = text_domains.task_id
    left join sections
        on scoped_tasks.section_id = sections.section_id
    left join indicator_counts
        on scoped_tasks.task_id = indicator_counts.task_id

),

{% if is_incremental() %}

-- copies in documents this run did not touch are rewritten only when their flag flips
reflagged_rows as (

    select
        existing.* replace (
            ranked_occurrences.is_duplicate as is_duplicate,
            '{{ invocation_id }}' as dbt_invocation_id,
        ),
    from {{ this }} as existing
    inner join untouched_copies
        on existing.task_id = untouched_copies.task_id
    inner join ranked_occurrences
        on existing.task_id = ranked_occurrences.task_id
    where untouched_copies.is_duplicate is distinct from ranked_occurrences.is_duplicate

),

final as (

    select * from new_rows
    union all by name
    select * from reflagged_rows

)

{% else %}

final as (

    select * from new_rows

)

{% endif %}

select * from final
