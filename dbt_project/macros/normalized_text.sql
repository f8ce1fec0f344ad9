{#
    Text as compared when looking for copied passages: full-width digits and Latin letters folded
    to ASCII, lower-cased, and every space, punctuation mark and symbol removed, so a paragraph
    pasted with other commas or line breaks still hashes the same.
#}
{% macro normalized_text(expression) -%}
    regexp_replace(
        lower(translate(
            {{ expression }},
            '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ',
            '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
        )),
        '[\s\p{P}\p{S}]+',
        '',
        'g'
    )
{%- endmacro %}


{#
    md5 of the normalised text, or of its first `prefix_chars` normalised characters: a passage
    copied into another report and then continued (or cut) differently still matches on its
    opening. Null when nothing is left after normalisation.
#}
{% macro duplicate_key(expression, prefix_chars=none) -%}
    {#- normalised once: nullif turns an empty result into null, and md5(null) is null -#}
    {%- if prefix_chars -%}
    md5(nullif(left({{ normalized_text(expression) }}, {{ prefix_chars }}), ''))
    {%- else -%}
    md5(nullif({{ normalized_text(expression) }}, ''))
    {%- endif -%}
{%- endmacro %}
