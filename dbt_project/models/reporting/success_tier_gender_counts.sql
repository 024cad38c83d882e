{#- One row per success tier x gender: how many artists, and the tier's order (its lowest monthly
    listeners). Artists without a tier (0 listeners, outside pd.cut's first bin) count as
    '(undefined)'. -#}
{{ config(materialized='table') }}

with artists as (
    select coalesce(success_tier, '(undefined)') as success_tier, gender, monthly_listeners
    from {{ ref('artist_features') }}
),

tier_counts as (
    select
        success_tier,
        min(min(monthly_listeners)) over (partition by success_tier) as tier_order,
        gender,
        count(*) as n
    from artists
    group by success_tier, gender
)

select * from tier_counts
