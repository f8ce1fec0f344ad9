{#
    Incremental marts are rebuilt per document. A document needs work in a run when its rows in
    the mart are missing, come from another extraction run (the loader re-extracted it), carry
    another is_current, or belong to a doc_id that left raw (its file changed or was deleted).
    `documents` and `previous` name CTEs: the current documents and the mart as it was. With
    `lookup_version` (an SQL expression), a mart built with other seeds is rebuilt in full.
#}
{% macro changed_documents(documents='documents', previous='previous', lookup_version=none) -%}
    select
        {{ documents }}.doc_id,
    from {{ documents }}
    left join (
        select distinct
            doc_id,
            run_id,
            is_current,
            {% if lookup_version %}lookup_version,{% endif %}
        from {{ previous }}
    ) as previous_state
        on {{ documents }}.doc_id = previous_state.doc_id
    where previous_state.doc_id is null
        or previous_state.run_id is distinct from {{ documents }}.run_id
        or previous_state.is_current is distinct from {{ documents }}.is_current
        {% if lookup_version %}
        or previous_state.lookup_version is distinct from ({{ lookup_version }})
        {% endif %}

    union

    select distinct
        {{ previous }}.doc_id,
    from {{ previous }}
    anti join {{ documents }}
        on {{ previous }}.doc_id = {{ documents }}.doc_id
{%- endmacro %}


{#
    Post-hook of every incremental mart: drop rows whose document left raw or was re-extracted by
    a later run (the fresh rows carry the new run_id), so nothing stale survives a change.
#}
{% macro delete_stale_document_rows(relation) -%}
    delete from {{ relation }}
    where not exists (
        select 1
        from {{ source('raw', 'documents') }} as documents
        where documents.doc_id = {{ relation }}.doc_id
            and documents.run_id is not distinct from {{ relation }}.run_id
    )
{%- endmacro %}
