-- The offset rule of the contract: every span cuts its own text out of raw.documents.text.
-- Checks the rows this build wrote (macro rows_built_now); a full refresh checks them all.

{%- set chunk_chars = 256 %}

with

-- span rows of every fact table first (only the rows this build wrote), so the wide text column
-- is read and joined once, not once per fact table
spans as (

    select 'dim_sections' as model, section_id as row_id, doc_id, heading_start as char_start, heading_end as char_end, heading as span_text
    from {{ rows_built_now(ref('dim_sections')) }}
    where heading_start is not null

    union all

    select 'fct_tasks', task_id, doc_id, char_start, char_end, task_text
    from {{ rows_built_now(ref('fct_tasks')) }}

    union all

    select 'fct_indicators', indicator_id, doc_id, char_start, char_end, quantity_text
    from {{ rows_built_now(ref('fct_indicators')) }}

    union all

    select 'stg_sentences', sentence_id, doc_id, char_start, char_end, sentence_text
    from {{ ref('stg_sentences') }}
    where doc_id in (select doc_id from {{ rows_built_now(ref('dim_documents')) }})

),

-- only the documents those spans point into; the length (a scan of the text) once per document
documents as materialized (

    -- a doc_id is a hash of the text, so any copy of a document will do
    select distinct on (doc_id) doc_id, text, length(text) as text_length
    from {{ source('raw', 'documents') }}
    where doc_id in (select doc_id from spans)

),

-- DuckDB's substr walks the UTF-8 text from its first character, so cutting millions of spans out
-- of long documents costs time in proportion to each offset. The texts are cut once into chunks
-- of `chunk_chars` characters instead; a span then comes out of at most two neighbouring chunks,
-- and only the rare span longer than that falls back to the whole text. (expectations/marts.py
-- checks spans the same way, with the same chunk size, for the quality report.)
chunks as materialized (

    select
        doc_id,
        unnest(generate_series(0, len(parts) - 1)) as chunk_no,
        unnest(parts) as chunk_text,
    from (
        select doc_id, regexp_extract_all(text, '(?s).{1,{{ chunk_chars }}}') as parts
        from documents
    )

),

checked as (

    select
        spans.*,
        documents.doc_id is not null as has_document,
        documents.text_length,
        case
            when not (spans.char_start >= 0 and spans.char_end >= spans.char_start
                and spans.char_end <= documents.text_length)
                then null
            -- most spans are short and lie inside one chunk: no concatenation
            when spans.char_end <= (spans.char_start // {{ chunk_chars }} + 1) * {{ chunk_chars }}
                then substr(first_chunk.chunk_text, spans.char_start % {{ chunk_chars }} + 1, spans.char_end - spans.char_start)
            when spans.char_end <= (spans.char_start // {{ chunk_chars }} + 2) * {{ chunk_chars }}
                then substr(
                    coalesce(first_chunk.chunk_text, '') || coalesce(next_chunk.chunk_text, ''),
                    spans.char_start % {{ chunk_chars }} + 1,
                    spans.char_end - spans.char_start
                )
            else substr(documents.text, spans.char_start + 1, spans.char_end - spans.char_start)
        end as text_at_span,
    from spans
    left join documents
        on spans.doc_id = documents.doc_id
    left join chunks as first_chunk
        on spans.doc_id = first_chunk.doc_id
        and spans.char_start // {{ chunk_chars }} = first_chunk.chunk_no
    left join chunks as next_chunk
        on spans.doc_id = next_chunk.doc_id
        and spans.char_start // {{ chunk_chars }} + 1 = next_chunk.chunk_no

),

violations as (

    select model, row_id, doc_id, char_start, char_end, span_text, text_at_span
    from checked
    where not has_document
        or char_start is null
        or char_end is null
        or char_start < 0
        or char_end < char_start
        or char_end > text_length
        or text_at_span is distinct from span_text

)

select * from violations
