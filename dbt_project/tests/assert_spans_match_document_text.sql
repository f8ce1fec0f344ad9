-- The offset rule of the contract: every span cuts its own text out of raw.documents.text.
-- Checks the rows this build wrote (macro rows_built_now); a full refresh checks them all.

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

    select doc_id, text, length(text) as text_length
    from {{ source('raw', 'documents') }}
    where doc_id in (select doc_id from spans)

),

checked as (

    select
        spans.*,
        documents.doc_id is not null as has_document,
        documents.text_length,
        case
            when spans.char_start >= 0 and spans.char_end >= spans.char_start
                and spans.char_end <= documents.text_length
                then substr(documents.text, spans.char_start + 1, spans.char_end - spans.char_start)
        end as text_at_span,
    from spans
    left join documents
        on spans.doc_id = documents.doc_id

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
