{#
    Text as compared when looking for copied passages: full-width digits and Latin letters folded
    to ASCII, lower-cased, and every space, punctuation mark and symbol removed, so a paragraph
    pasted with other commas or line breaks still hashes the same.
#}
{% macro normalized_text(expression) -%}
    {#-
        Punctuation goes first, so the later steps read shorter text; translate is slow in DuckDB
        (it was most of the time of the 10k-report build), so it runs only on text holding a
        full-width digit or letter. Same result as the steps the other way round: none of them
        turns a letter or digit into punctuation. DuckDB computes the repeated expression once.
    -#}
    {%- set stripped -%}
        regexp_replace({{ expression }}, '[\s\p{P}\p{S}]+', '', 'g')
    {%- endset -%}
    lower(case
        when regexp_matches({{ stripped }}, '[０-９Ａ-Ｚａ-ｚ]')
            then translate(
                {{ stripped }},
                '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ',
                '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
            )
        else {{ stripped }}
    end)
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
