-- Policy domains with their priority and the keywords that assign them.

with

domains as (

    select * from {{ ref('domains') }}

),

keywords as (

    select * from {{ ref('int_domain_keywords') }}

),

keyword_lists as (

    select
        domain,
        count(*) as keyword_count,
        string_agg(keyword, '、' order by priority, keyword) as keywords,
    from keywords
    group by domain

),

final as (

    select
        domains.domain,
        domains.domain_code,
        domains.domain_name_en,
        domains.priority,
        coalesce(keyword_lists.keyword_count, 0) as keyword_count,
        keyword_lists.keywords,
    from domains
    left join keyword_lists
        on domains.domain = keyword_lists.domain

)

select * from final
