{#- One row per outcome x cut x protected attribute of fairness.threshold_sweep: the attribute's
    disparate-impact ratio at the cut (repeated on each group row there), for the sweep's line chart. -#}
{{ config(materialized='view') }}

with sweep as (
    select
        outcome, cut, cut_kind, cut_value, cut_position, attribute, threshold, cut_selected_n,
        disparate_impact_ratio, disparate_impact_undefined_reason
    from {{ ref('threshold_sweep') }}
),

disparate_impact_by_cut as (
    select
        outcome,
        cut,
        cut_kind,
        cut_value,
        cut_position,
        -- the cut of fairness.group_outcomes and fairness_summary
        cut_kind = 'percentile' and cut_value = {{ var('high_success_percentile') | float }} as is_high_success_cut,
        attribute,
        any_value(threshold) as threshold,
        any_value(cut_selected_n) as cut_selected_n,
        any_value(disparate_impact_ratio) as disparate_impact_ratio,
        any_value(disparate_impact_undefined_reason) as disparate_impact_undefined_reason
    from sweep
    group by outcome, cut, cut_kind, cut_value, cut_position, attribute
)

select * from disparate_impact_by_cut
