-- Documents with what the marts derive from them: the first-seen time and the ingestion order
-- that decides which copy of a repeated passage is the original.

with

documents as (

    select * from {{ ref('stg_documents') }}

),

ordered as (

    select
        *,
        ingested_at as first_seen_at,
        -- a corpus file's records share one ingestion time; keep their order in the file
        try_cast(record_key as bigint) as record_order,

    from documents

)

select * from ordered
