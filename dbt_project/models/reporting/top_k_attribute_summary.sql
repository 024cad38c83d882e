{#- One row per k x protected attribute of equity.top_k_representation: its infeasible index (repeated
    on each group row there) and how many groups, and artists, the top k lacks below their floor share. -#}
{{ config(materialized='view') }}

with representation as (
    select k, effective_k, k_exceeds_artists, attribute, shortfall, infeasible_index
    from {{ ref('top_k_representation') }}
),

top_k_attribute_summary as (
    select
        k,
        effective_k,
        k_exceeds_artists,
        attribute,
        count(*) as n_groups,
        count(*) filter (where shortfall > 0) as groups_short,
        sum(shortfall)::bigint as total_shortfall,
        any_value(infeasible_index) as infeasible_index
    from representation
    group by k, effective_k, k_exceeds_artists, attribute
)

select * from top_k_attribute_summary
