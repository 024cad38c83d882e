{#- One row per outcome x protected attribute x fitted group x component of its gap to the reference
    group: each control's contribution to the explained part (fairness.gap_decomposition_controls),
    then the unexplained part (fairness.gap_decomposition), in log points: the stacked bars of the
    report's "Why the gaps" section. -#}
{{ config(materialized='view') }}

with control_contributions as (
    select outcome, attribute, group_value, reference_group, control, contribution
    from {{ ref('gap_decomposition_controls') }}
),

unexplained_parts as (
    select outcome, attribute, group_value, reference_group, unexplained
    from {{ ref('gap_decomposition') }}
    where undefined_reason is null
),

components as (
    select
        outcome,
        attribute,
        group_value,
        reference_group,
        control as component,
        contribution as value,
        false as is_unexplained
    from control_contributions
    union all
    select
        outcome,
        attribute,
        group_value,
        reference_group,
        'unexplained' as component,
        unexplained as value,
        true as is_unexplained
    from unexplained_parts
),

why_gap_components as (
    select
        outcome,
        attribute,
        group_value,
        reference_group,
        component,
        value,
        is_unexplained
    from components
)

select * from why_gap_components
