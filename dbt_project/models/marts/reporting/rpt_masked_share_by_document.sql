-- How much of each current document's figures are masked (x, xx, *): a redaction gauge.

with

documents as (

    select * from {{ ref('dim_documents') }}
    where is_current

),

indicators as (

    select * from {{ ref('fct_indicators') }}
    where is_current

),

counted as (

    select
        doc_id,
        count(*) as indicator_count,
        count(*) filter (where is_masked) as masked_count,
    from indicators
    group by doc_id

),

final as (

    select
        documents.doc_id,
        documents.source_path,
        documents.title,
        documents.department,
        documents.region,
        documents.report_year,
        coalesce(counted.indicator_count, 0) as indicator_count,
        coalesce(counted.masked_count, 0) as masked_count,
        case
            when counted.indicator_count > 0
                then counted.masked_count / counted.indicator_count
        end as masked_share,
    from documents
    left join counted
        on documents.doc_id = counted.doc_id

)

select * from final
