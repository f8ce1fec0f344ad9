-- Fingerprints of the analyst-edited lookups (and of the duplicate-detection setting). The incremental marts store the fingerprint they
-- were built with; when a seed changes, every document is reprocessed in the next run, so an
-- edited keyword or unit reaches old rows without a manual full refresh.

with

units as (

    select * from {{ ref('units') }}

),

keywords as (

    select * from {{ ref('int_domain_keywords') }}

),

units_fingerprint as (

    select
        md5(coalesce(string_agg(
            concat_ws('|', unit, unit_base, factor::varchar, measure_kind), '\n'
            order by unit, unit_base, factor, measure_kind
        ), '')) as units_version,
    from units

),

domains_fingerprint as (

    select
        md5(coalesce(string_agg(
            concat_ws('|', domain, keyword, priority::varchar), '\n'
            order by domain, keyword, priority
        ), '') || '|task_duplicate_prefix_chars={{ var("task_duplicate_prefix_chars") }}') as domains_version,
    from keywords

),

final as (

    select
        domains_fingerprint.domains_version,
        md5(domains_fingerprint.domains_version || units_fingerprint.units_version) as lookups_version,
    from domains_fingerprint
    cross join units_fingerprint

)

select * from final
