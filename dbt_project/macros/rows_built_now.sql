{#
    Tests on the incremental marts check the rows this `dbt build` wrote, not the millions that
    earlier, already validated builds wrote and nobody touched since: every mart row carries the
    `dbt_invocation_id` of the build that wrote it. A full refresh (or the first build) writes
    every row, so it tests everything. Run with `--vars '{test_all_rows: true}'` to re-test all
    rows of an incremental build.

    Sound because a changed document is rewritten whole (children with parents), keys are replaced
    by delete+insert, and rows that leave are deleted, so an untouched row cannot break a rule.
#}

{% macro rows_built_now(relation) -%}
    {%- if var('test_all_rows', false) or relation.identifier not in ['dim_documents', 'dim_sections', 'fct_tasks', 'fct_indicators'] -%}
        {{ relation }}
    {%- else -%}
        (select * from {{ relation }} where dbt_invocation_id = '{{ invocation_id }}')
    {%- endif -%}
{%- endmacro %}


{#
    Generic tests (unique, not_null, accepted_values, relationships …) read their model through
    this; it is dispatched from dbt's own namespace, so it names the marts itself.
#}
{% macro duckdb__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set scoped = not var('test_all_rows', false) and relation.identifier in ['dim_documents', 'dim_sections', 'fct_tasks', 'fct_indicators'] -%}
    {%- if where or scoped -%}
        {%- set filtered -%}
            (
                select * from {{ relation }}
                where {{ where if where else 'true' }}
                {% if scoped %}and dbt_invocation_id = '{{ invocation_id }}'{% endif %}
            ) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
