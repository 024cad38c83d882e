{#- One row per protected attribute x group: whether the group is undisclosed, as fairness.group_outcomes
    flags it. Ephemeral: every table keyed by group_value joins it for its is_undisclosed column. -#}
{{ config(materialized='ephemeral') }}

with group_outcomes as (
    select
        attribute,
        group_value,
        is_undisclosed
    from {{ ref('group_outcomes') }}
),

attribute_group_disclosure as (
    select distinct
        attribute,
        group_value,
        is_undisclosed
    from group_outcomes
)

select * from attribute_group_disclosure
