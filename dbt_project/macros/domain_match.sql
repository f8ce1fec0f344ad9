{#
    The best domain for each row of `rows` from the keyword seed: the match with the highest
    priority (lowest number) wins, then the one that appears first in the text, then the longest
    keyword. Rows without any match are absent; callers left-join and fall back.
#}
{% macro best_domain_match(rows, key, text_column, keywords='domain_keywords') -%}
    select
        {{ rows }}.{{ key }},
        arg_min(
            {{ keywords }}.domain,
            {{ keywords }}.priority * 1000000000::bigint
            + strpos({{ rows }}.{{ text_column }}, {{ keywords }}.keyword) * 100
            + (99 - length({{ keywords }}.keyword))
        ) as domain,
    from {{ rows }}
    inner join {{ keywords }}
        on contains({{ rows }}.{{ text_column }}, {{ keywords }}.keyword)
    group by {{ rows }}.{{ key }}
{%- endmacro %}
