{#
    Incremental marts are rebuilt per document. A document needs work in a run when its rows in
    the mart are missing, come from another extraction run (the loader re-extracted it), carry
    another is_current, or belong to a doc_id that left raw (its file changed or was deleted).
    `documents` names the CTE of current documents, `previous` the mart as it was (`this`). With
    `lookup_version` (an SQL expression), a mart built with other seeds is rebuilt in full.
#}
{% macro changed_documents(documents, previous, lookup_version=none) -%}
    {%- if not is_incremental() -%}
    -- a full build: every document
    select doc_id from {{ documents }}
    {%- else -%}
    select
        {{ documents }}.doc_id,
    from {{ documents }}
    left join (
        select
            doc_id,
            min(run_id) as run_id,
            count(distinct run_id) as run_ids,
            bool_and(is_current) as all_current,
            bool_or(is_current) as any_current,
        from {{ previous }}
        group by doc_id
    ) as previous_state
        on {{ documents }}.doc_id = previous_state.doc_id
    where previous_state.doc_id is null
        or previous_state.run_ids > 1
        or previous_state.run_id is distinct from {{ documents }}.run_id
        or previous_state.all_current is distinct from {{ documents }}.is_current
        or previous_state.any_current is distinct from {{ documents }}.is_current
        {% if lookup_version %}
        -- built with other seeds: every document is redone
        or exists (
            select 1
            from {{ previous }} as built
            where built.lookup_version is distinct from ({{ lookup_version }})
        )
        {% endif %}

    union

    select distinct
        built.doc_id,
    from {{ previous }} as built
    anti join {{ documents }}
        on built.doc_id = {{ documents }}.doc_id
    {%- endif -%}
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
