-- The offset rule of the contract: every span cuts its own text out of raw.documents.text.
-- Checks the rows this build wrote (macro rows_built_now); a full refresh checks them all.

with

documents as (

    select doc_id, text from {{ source('raw', 'documents') }}

),

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

violations as (

    select
        spans.model,
        spans.row_id,
        spans.doc_id,
        spans.char_start,
        spans.char_end,
        spans.span_text,
        substr(documents.text, spans.char_start + 1, spans.char_end - spans.char_start) as text_at_span,
    from spans
    left join documents
        on spans.doc_id = documents.doc_id
    where documents.doc_id is null
        or spans.char_start is null
        or spans.char_end is null
        or spans.char_start < 0
        or spans.char_end < spans.char_start
        or spans.char_end > length(documents.text)
        or substr(documents.text, spans.char_start + 1, spans.char_end - spans.char_start)
            is distinct from spans.span_text

)

select * from violations
