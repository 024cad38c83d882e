{#- One row per baseline x outcome x attribute x group: each group's high-success rate and
    disparity ratio in the latest build against the previous build and the first kept build, from
    history.group_outcomes_history. -#}

with baselines as (
    select
        baseline,
        build_id,
        build_number,
        baseline_build_id,
        baseline_build_number
    from {{ ref('int_build_baselines') }}
),

group_history as (
    select
        build_id,
        outcome,
        attribute,
        group_value,
        is_undisclosed,
        n,
        high_success_rate,
        rate_ci_low,
        rate_ci_high,
        reference_group,
        disparity_ratio
    from {{ ref('group_outcomes_history') }}
),

-- every group either build has: a group that appeared or vanished is listed too
compared_groups as (
    select
        baselines.baseline,
        group_history.outcome,
        group_history.attribute,
        group_history.group_value
    from baselines
    inner join group_history
        on group_history.build_id in (baselines.build_id, baselines.baseline_build_id)
    group by baselines.baseline, group_history.outcome, group_history.attribute, group_history.group_value
),

paired as (
    select
        baselines.baseline,
        baselines.build_id,
        baselines.build_number,
        baselines.baseline_build_id,
        baselines.baseline_build_number,
        compared_groups.outcome,
        compared_groups.attribute,
        compared_groups.group_value,
        -- null when neither build recorded it (builds before the flag existed)
        coalesce(current_group.is_undisclosed, baseline_group.is_undisclosed) as is_undisclosed,
        current_group.build_id is not null as in_current_build,
        baseline_group.build_id is not null as in_baseline_build,
        current_group.n,
        baseline_group.n as baseline_n,
        current_group.high_success_rate,
        baseline_group.high_success_rate as baseline_high_success_rate,
        current_group.rate_ci_low,
        current_group.rate_ci_high,
        baseline_group.rate_ci_low as baseline_rate_ci_low,
        baseline_group.rate_ci_high as baseline_rate_ci_high,
        current_group.reference_group,
        baseline_group.reference_group as baseline_reference_group,
        current_group.disparity_ratio,
        baseline_group.disparity_ratio as baseline_disparity_ratio
    from compared_groups
    inner join baselines on compared_groups.baseline = baselines.baseline
    -- the artists without a value of the attribute are a group too (group_value null)
    left join group_history as current_group
        on baselines.build_id = current_group.build_id
        and compared_groups.outcome = current_group.outcome
        and compared_groups.attribute = current_group.attribute
        and compared_groups.group_value is not distinct from current_group.group_value
    left join group_history as baseline_group
        on baselines.baseline_build_id = baseline_group.build_id
        and compared_groups.outcome = baseline_group.outcome
        and compared_groups.attribute = baseline_group.attribute
        and compared_groups.group_value is not distinct from baseline_group.group_value
),

group_outcome_changes as (
    select
        baseline,
        build_id,
        build_number,
        baseline_build_id,
        baseline_build_number,
        outcome,
        attribute,
        group_value,
        is_undisclosed,
        in_current_build,
        in_baseline_build,
        n,
        baseline_n,
        high_success_rate,
        baseline_high_success_rate,
        high_success_rate - baseline_high_success_rate as high_success_rate_change,
        -- the two Wilson intervals do not overlap
        case
            when in_current_build and in_baseline_build
                then rate_ci_low > baseline_rate_ci_high or rate_ci_high < baseline_rate_ci_low
        end as rate_change_beyond_intervals,
        disparity_ratio,
        baseline_disparity_ratio,
        disparity_ratio - baseline_disparity_ratio as disparity_ratio_change,
        case
            when in_current_build and in_baseline_build
                then not (reference_group is not distinct from baseline_reference_group)
        end as reference_group_changed
    from paired
)

select * from group_outcome_changes
order by baseline desc, outcome asc, attribute asc, group_value asc
