{{ config(severity="warn") }}

-- A document with any text yields at least one section (the extractors give unmarked text a
-- section of its own), so every fact can be placed in the document's structure.

select documents.doc_id, documents.source_path, documents.char_count
from {{ rows_built_now(ref('dim_documents')) }} as documents
inner join {{ ref('stg_documents') }} as raw_documents
    on documents.doc_id = raw_documents.doc_id
where raw_documents.has_text
    and documents.section_count = 0
