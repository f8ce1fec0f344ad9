{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='indicator_id',
        on_schema_change='append_new_columns',
        post_hook="{{ delete_stale_document_rows(this) }}",
    )
}}

with

documents as (

    select * from {{ ref('int_documents') }}

),

indicators as (

    select * from {{ ref('stg_indicators') }}

),

sentences as (

    select * from {{ ref('stg_sentences') }}

),

units as (

    select * from {{ ref('dim_units') }}

),

tasks as (

    select * from {{ ref('fct_tasks') }}

),

sections as (

    select * from {{ ref('dim_sections') }}

),

domain_keywords as (

    select * from {{ ref('int_domain_keywords') }}

),

lookup_versions as (

    select * from {{ ref('int_lookup_versions') }}

),

changed_documents as (

    {{ changed_documents('documents', this, lookup_version='select lookups_version from lookup_versions') }}

),

scoped_indicators as (

    select
        indicators.*,
        documents.is_current,
        documents.run_id as document_run_id,
        documents.report_year,
        documents.report_period,
    from indicators
    inner join documents
        on indicators.doc_id = documents.doc_id
    semi join changed_documents
        on indicators.doc_id = changed_documents.doc_id

),

scoped_sentences as (

    select
        sentences.doc_id,
        sentences.char_start,
        sentences.char_end,
        {{ duplicate_key('sentences.sentence_text') }} as sentence_key,
    from sentences
    semi join changed_documents
        on sentences.doc_id = changed_documents.doc_id

),

-- the sentence each quantity sits in, found by position
located_indicators as (

    select
        scoped_indicators.*,
        case
            when scoped_indicators.char_end <= scoped_sentences.char_end
                then scoped_sentences.char_start
        end as sentence_start,
        case
            when scoped_indicators.char_end <= scoped_sentences.char_end
                then scoped_sentences.sentence_key
        end as sentence_key,
    from scoped_indicators
    asof left join scoped_sentences
        on scoped_indicators.doc_id = scoped_sentences.doc_id
        and scoped_indicators.char_start >= scoped_sentences.char_start

),

-- a quantity is the same fact as another when it is the n-th quantity of the same (normalised)
-- sentence with the same text; the position in the sentence keeps apart two quantities of one
-- sentence and the two copies of a sentence repeated within one document
keyed_indicators as materialized (

    select
        located_indicators.*,
        case
            when located_indicators.sentence_key is not null
                then md5(
                    located_indicators.sentence_key
                    || '#' || row_number() over (
                        partition by located_indicators.doc_id, located_indicators.sentence_start
                        order by located_indicators.char_start, located_indicators.indicator_id
                    )::varchar
                    || '#' || located_indicators.quantity_text
                )
            -- normalised once; null || text is null, so an empty sentence gives no key
            else md5(
                nullif({{ normalized_text('located_indicators.sentence_text') }}, '')
                || '#' || strpos(located_indicators.sentence_text, located_indicators.quantity_text)::varchar
                || '#' || located_indicators.quantity_text
            )
        end as duplicate_key,
    from located_indicators

),

task_domains as (

    select
        keyed_indicators.indicator_id,
        tasks.domain,
    from keyed_indicators
    inner join tasks
        on keyed_indicators.task_id = tasks.task_id
    where tasks.domain is not null

),

-- only quantities whose work item gives no domain are matched on their sentence, once per text
unmatched_sentences as (

    select
        hash(keyed_indicators.sentence_text) as sentence_hash,
        any_value(keyed_indicators.sentence_text) as sentence_text,
    from keyed_indicators
    anti join task_domains
        on keyed_indicators.indicator_id = task_domains.indicator_id
    where keyed_indicators.sentence_text is not null
    group by hash(keyed_indicators.sentence_text)

),

sentence_domains as (

    {{ best_domain_match('unmatched_sentences', 'sentence_hash', 'sentence_text') }}

),

{% if is_incremental() %}

affected_keys as (

    select duplicate_key from keyed_indicators

    union

    select duplicate_key
    from {{ this }}
    where doc_id in (select doc_id from changed_documents)

),

-- the other copies of those texts, in documents this run leaves alone
untouched_copies as (

    select
        existing.indicator_id,
        existing.doc_id,
        existing.char_start,
        existing.duplicate_key,
        existing.is_duplicate,
    from {{ this }} as existing
    where existing.duplicate_key in (select duplicate_key from affected_keys)
        and existing.doc_id not in (select doc_id from changed_documents)

),

occurrences as (

    select indicator_id, doc_id, char_start, duplicate_key from keyed_indicators
    union all
    select indicator_id, doc_id, char_start, duplicate_key from untouched_copies

),

{% else %}

occurrences as (

    select indicator_id, doc_id, char_start, duplicate_key from keyed_indicators

),

{% endif %}

ranked_occurrences as (

    select
        occurrences.indicator_id,
        occurrences.duplicate_key is not null
            and row_number() over (
                partition by occurrences.duplicate_key
                order by
                    documents.is_current desc,
                    documents.first_seen_at,
                    documents.source_path,
                    documents.record_order nulls last,
                    documents.record_key,
                    documents.doc_id,
                    occurrences.char_start,
                    occurrences.indicator_id
            ) > 1 as is_duplicate,
    from occurrences
    inner join documents
        on occurrences.doc_id = documents.doc_id

),

new_rows as (

    select
        keyed_indicators.indicator_id,
        keyed_indicators.doc_id,
        keyed_indicators.section_id,
        keyed_indicators.task_id,
        keyed_indicators.subject,
        keyed_indicators.quantity_text,
        keyed_indicators.char_start,
        keyed_indicators.char_end,
        keyed_indicators.sentence_text,
        keyed_indicators.value,
        keyed_indicators.value_low,
        keyed_indicators.value_high,
        keyed_indicators.unit,
        keyed_indicators.value * units.factor as value_base,
        keyed_indicators.value_low * units.factor as value_low_base,
        keyed_indicators.value_high * units.factor as value_high_base,
        units.unit_base,
        coalesce(units.measure_kind, 'other') as measure_kind,
        keyed_indicators.qualifier,
        keyed_indicators.is_masked,
        keyed_indicators.comparison,
        keyed_indicators.direction,
        keyed_indicators.status,
        keyed_indicators.period_year,
        case
            when coalesce(keyed_indicators.period_year, keyed_indicators.report_year) is null
                then null
            when keyed_indicators.period_year is null
                or keyed_indicators.period_year = keyed_indicators.report_year
                then coalesce(keyed_indicators.period_year, keyed_indicators.report_year)::varchar
                    || '-' || coalesce(keyed_indicators.report_period, 'FY')
            else keyed_indicators.period_year::varchar || '-FY'
        end as period_key,
        coalesce(task_domains.domain, sentence_domains.domain, sections.domain) as domain,
        ranked_occurrences.is_duplicate,
        keyed_indicators.line_no,
        keyed_indicators.duplicate_key,
        keyed_indicators.is_current,
        keyed_indicators.document_run_id as run_id,
        (select lookups_version from lookup_versions) as lookup_version,
        '{{ invocation_id }}' as dbt_invocation_id,

    from keyed_indicators
    inner join ranked_occurrences
        on keyed_indicators.indicator_id = ranked_occurrences.indicator_id
    left join units
        on keyed_indicators.unit = units.unit
    left join task_domains
        on keyed_indicators.indicator_id = task_domains.indicator_id
    left join sentence_domains
        -- joined on a hash of the text, not the wide text itself
        on hash(keyed_indicators.sentence_text) = sentence_domains.sentence_hash
    left join sections
        on keyed_indicators.section_id = sections.section_id

),

{% if is_incremental() %}

reflagged_rows as (

    select
        existing.* replace (
            ranked_occurrences.is_duplicate as is_duplicate,
            '{{ invocation_id }}' as dbt_invocation_id,
        ),
    from {{ this }} as existing
    inner join untouched_copies
        on existing.indicator_id = untouched_copies.indicator_id
    inner join ranked_occurrences
        on existing.indicator_id = ranked_occurrences.indicator_id
    where untouched_copies.is_duplicate is distinct from ranked_occurrences.is_duplicate

),

final as (

    select * from new_rows
    union all by name
    select * from reflagged_rows

)

{% else %}

final as (

    select * from new_rows

)

{% endif %}

select * from final
