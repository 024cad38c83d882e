{#- One row per build x outcome x attribute x group: the headline columns of
    fairness.group_outcomes of every build the history keeps (audit.build_runs), this build's last. -#}
{%- set carried = history_carried_relation('group_outcomes_history') -%}

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
        group_outcomes.outcome,
        group_outcomes.attribute,
        group_outcomes.group_value,
        group_outcomes.threshold,
        group_outcomes.n,
        group_outcomes.population_share,
        group_outcomes.mean_outcome,
        group_outcomes.high_success_n,
        group_outcomes.high_success_rate,
        group_outcomes.rate_ci_low,
        group_outcomes.rate_ci_high,
        group_outcomes.representation_ratio,
        group_outcomes.reference_group,
        group_outcomes.is_reference_group,
        group_outcomes.disparity_ratio,
        group_outcomes.rate_difference,
        group_outcomes.disparity_ratio_undefined,
        group_outcomes.small_group
    from {{ ref('group_outcomes') }} as group_outcomes
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
    group_value,
    threshold,
    n,
    population_share,
    mean_outcome,
    high_success_n,
    high_success_rate,
    rate_ci_low,
    rate_ci_high,
    representation_ratio,
    reference_group,
    is_reference_group,
    disparity_ratio,
    rate_difference,
    disparity_ratio_undefined,
    small_group
from every_row
where build_id in (select kept_runs.build_id from {{ ref('build_runs') }} as kept_runs)
order by build_number, outcome, attribute, group_value
