{#- One row per outcome x protected attribute x fitted group: its raw and control-adjusted gap to the
    reference group (fairness.adjusted_gaps), the dumbbell of the report's "Why the gaps" section. -#}
{{ config(materialized='view') }}

with adjusted_gaps as (
    select
        outcome, attribute, group_value, reference_group, n, controls, raw_gap, adjusted_gap, adjusted_gap_ci_low,
        adjusted_gap_ci_high, adjusted_gap_pct, share_explained
    from {{ ref('adjusted_gaps') }}
    where adjusted_gap is not null
),

why_gap_groups as (
    select
        outcome,
        attribute,
        group_value,
        reference_group,
        n,
        controls,
        raw_gap,
        adjusted_gap,
        adjusted_gap_ci_low,
        adjusted_gap_ci_high,
        adjusted_gap_pct,
        share_explained
    from adjusted_gaps
)

select * from why_gap_groups
