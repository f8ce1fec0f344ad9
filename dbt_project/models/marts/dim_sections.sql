{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='doc_id',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_stale_document_rows(this) }}",
    )
}}

with recursive

documents as (

    select * from {{ ref('int_documents') }}

),

sections as (

    select * from {{ ref('stg_sections') }}

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

scoped_sections as (

    select
        sections.*,
        documents.is_current,
        documents.run_id as document_run_id,
    from sections
    inner join documents
        on sections.doc_id = documents.doc_id
    semi join changed_documents
        on sections.doc_id = changed_documents.doc_id

),

heading_domains as (

    {{ best_domain_match('scoped_sections', 'section_id', 'heading') }}

),

-- every section paired with itself and each of its ancestors, nearest first
lineage as (

    select
        scoped_sections.section_id,
        scoped_sections.section_id as ancestor_id,
        scoped_sections.parent_section_id as next_ancestor_id,
        0 as depth,
    from scoped_sections

    union all

    select
        lineage.section_id,
        parents.section_id as ancestor_id,
        parents.parent_section_id as next_ancestor_id,
        lineage.depth + 1 as depth,
    from lineage
    inner join scoped_sections as parents
        on lineage.next_ancestor_id = parents.section_id
    where lineage.depth < 10

),

inherited_domains as (

    select
        lineage.section_id,
        arg_min(heading_domains.domain, lineage.depth) as domain,
    from lineage
    inner join heading_domains
        on lineage.ancestor_id = heading_domains.section_id
    group by lineage.section_id

),

final as (

    select
        scoped_sections.section_id,
        scoped_sections.doc_id,
        scoped_sections.parent_section_id,
        scoped_sections.level,
        scoped_sections.marker,
        scoped_sections.ordinal,
        scoped_sections.heading,
        scoped_sections.heading_start,
        scoped_sections.heading_end,
        scoped_sections.section_kind,
        scoped_sections.path,
        scoped_sections.char_start,
        scoped_sections.char_end,
        scoped_sections.line_no,
        inherited_domains.domain,
        scoped_sections.is_current,
        scoped_sections.document_run_id as run_id,
        (select domains_version from lookup_versions) as lookup_version,
        '{{ invocation_id }}' as dbt_invocation_id,

    from scoped_sections
    left join inherited_domains
        on scoped_sections.section_id = inherited_domains.section_id

)

select * from final
