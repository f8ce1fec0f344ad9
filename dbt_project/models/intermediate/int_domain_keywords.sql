-- The keyword seed with each keyword's effective priority: its own, else its domain's.

with

keywords as (

    select * from {{ ref('domain_keywords') }}

),

domains as (

    select * from {{ ref('domains') }}

),

prioritised as (

    select
        keywords.domain,
        keywords.keyword,
        coalesce(keywords.priority, domains.priority, 1000) as priority,

    from keywords
    left join domains
        on keywords.domain = domains.domain
    where length(trim(keywords.keyword)) > 0

)

select * from prioritised
