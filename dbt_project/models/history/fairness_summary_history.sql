{#- One row per build x outcome x attribute: the headline columns of fairness.fairness_summary of
    every build the history keeps (audit.build_runs), this build's last. -#}
{%- set carried = history_carried_relation('fairness_summary_history') -%}

with current_build as (
    select
        build_runs.build_id,
        build_runs.build_number
    from {{ ref('build_runs') }} as build_runs
    inner join {{ source('history_carried', 'current_build') }} as current_lineage
        on build_runs.build_id = current_lineage.build_id
),

current_rows as (
    select
        current_build.build_id,
        current_build.build_number,
        fairness_summary.outcome,
        fairness_summary.attribute,
        fairness_summary.threshold,
        fairness_summary.n,
        fairness_summary.n_groups,
        fairness_summary.n_small_groups,
        fairness_summary.statistical_parity_difference,
        fairness_summary.max_rate_group,
        fairness_summary.max_high_success_rate,
        fairness_summary.min_rate_group,
        fairness_summary.min_high_success_rate,
        fairness_summary.disparate_impact_ratio,
        fairness_summary.disparate_impact_undefined,
        fairness_summary.disparate_impact_ci_low,
        fairness_summary.disparate_impact_ci_high,
        fairness_summary.four_fifths_threshold,
        fairness_summary.passes_four_fifths,
        fairness_summary.four_fifths_verdict,
        fairness_summary.large_groups_disparate_impact_ratio,
        fairness_summary.parity_tolerance,
        fairness_summary.groups_outside_parity_band,
        fairness_summary.significant_groups,
        fairness_summary.success_ratio,
        fairness_summary.chi_square_p_value,
        fairness_summary.kruskal_p_value
    from {{ ref('fairness_summary') }} as fairness_summary
    cross join current_build
),

every_row as (
    {{ history_union(carried, 'current_rows') }}
)

select
    build_id,
    build_number,
    outcome,
    attribute,
    threshold,
    n,
    n_groups,
    n_small_groups,
    statistical_parity_difference,
    max_rate_group,
    max_high_success_rate,
    min_rate_group,
    min_high_success_rate,
    disparate_impact_ratio,
    disparate_impact_undefined,
    disparate_impact_ci_low,
    disparate_impact_ci_high,
    four_fifths_threshold,
    passes_four_fifths,
    four_fifths_verdict,
    large_groups_disparate_impact_ratio,
    parity_tolerance,
    groups_outside_parity_band,
    significant_groups,
    success_ratio,
    chi_square_p_value,
    kruskal_p_value
from every_row
where build_id in (select kept_runs.build_id from {{ ref('build_runs') }} as kept_runs)
order by build_number, outcome, attribute
