{#
    Every non-null value of the column matches the regular expression (RE2, whole value).
#}
{% test matches_pattern(model, column_name, pattern) %}

select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not regexp_full_match({{ column_name }}::varchar, '{{ pattern }}')

{% endtest %}
