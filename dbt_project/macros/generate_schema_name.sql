{#
    The warehouse has exactly four schemas (raw, staging, marts, audit): a node's `schema`
    config is used as written, never prefixed with the target schema as dbt does by default.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
