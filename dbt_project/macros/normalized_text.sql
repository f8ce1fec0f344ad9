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


{% macro duplicate_key(expression) -%}
    case
        when length({{ normalized_text(expression) }}) > 0
            then md5({{ normalized_text(expression) }})
    end
{%- endmacro %}
