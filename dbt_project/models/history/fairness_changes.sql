{#- One row per baseline x outcome x attribute: the latest build's fairness_summary against the
    previous build's and against the first kept build's, from history.fairness_summary_history. -#}
{%- set tolerance = var('fairness_drift_tolerance') | float -%}

with baselines as (
    select
        baseline,
        build_id,
        build_number,
        baseline_build_id,
        baseline_build_number
    from {{ ref('int_build_baselines') }}
),

summary_history as (
    select
        build_id,
        outcome,
        attribute,
        disparate_impact_ratio,
        disparate_impact_ci_low,
        disparate_impact_ci_high,
        statistical_parity_difference,
        min_high_success_rate,
        max_high_success_rate,
        four_fifths_verdict
    from {{ ref('fairness_summary_history') }}
),

-- every outcome x attribute either build has, so that one the other lacks is listed too
compared_pairs as (
    select
        baselines.baseline,
        summary_history.outcome,
        summary_history.attribute
    from baselines
    inner join summary_history
        on summary_history.build_id in (baselines.build_id, baselines.baseline_build_id)
    group by baselines.baseline, summary_history.outcome, summary_history.attribute
),

paired as (
    select
        baselines.baseline,
        baselines.build_id,
        baselines.build_number,
        baselines.baseline_build_id,
        baselines.baseline_build_number,
        compared_pairs.outcome,
        compared_pairs.attribute,
        current_summary.build_id is not null as in_current_build,
        baseline_summary.build_id is not null as in_baseline_build,
        current_summary.disparate_impact_ratio,
        baseline_summary.disparate_impact_ratio as baseline_disparate_impact_ratio,
        current_summary.disparate_impact_ci_low,
        current_summary.disparate_impact_ci_high,
        baseline_summary.disparate_impact_ci_low as baseline_disparate_impact_ci_low,
        baseline_summary.disparate_impact_ci_high as baseline_disparate_impact_ci_high,
        current_summary.statistical_parity_difference,
        baseline_summary.statistical_parity_difference as baseline_statistical_parity_difference,
        current_summary.min_high_success_rate,
        baseline_summary.min_high_success_rate as baseline_min_high_success_rate,
        current_summary.max_high_success_rate,
        baseline_summary.max_high_success_rate as baseline_max_high_success_rate,
        current_summary.four_fifths_verdict,
        baseline_summary.four_fifths_verdict as baseline_four_fifths_verdict
    from compared_pairs
    inner join baselines on compared_pairs.baseline = baselines.baseline
    left join summary_history as current_summary
        on baselines.build_id = current_summary.build_id
        and compared_pairs.outcome = current_summary.outcome
        and compared_pairs.attribute = current_summary.attribute
    left join summary_history as baseline_summary
        on baselines.baseline_build_id = baseline_summary.build_id
        and compared_pairs.outcome = baseline_summary.outcome
        and compared_pairs.attribute = baseline_summary.attribute
),

fairness_changes as (
    select
        baseline,
        build_id,
        build_number,
        baseline_build_id,
        baseline_build_number,
        outcome,
        attribute,
        in_current_build,
        in_baseline_build,
        disparate_impact_ratio,
        baseline_disparate_impact_ratio,
        disparate_impact_ratio - baseline_disparate_impact_ratio as disparate_impact_change,
        disparate_impact_ratio is null or baseline_disparate_impact_ratio is null as disparate_impact_change_undefined,
        row_number() over (
            partition by baseline
            order by abs(disparate_impact_ratio - baseline_disparate_impact_ratio) desc nulls last, outcome asc, attribute asc
        ) as disparate_impact_move_rank,
        -- the two Katz intervals do not overlap: a change no sampling noise of either build explains
        case
            when disparate_impact_ci_low is not null and baseline_disparate_impact_ci_low is not null
                then disparate_impact_ci_low > baseline_disparate_impact_ci_high
                or disparate_impact_ci_high < baseline_disparate_impact_ci_low
        end as disparate_impact_change_beyond_intervals,
        statistical_parity_difference,
        baseline_statistical_parity_difference,
        statistical_parity_difference - baseline_statistical_parity_difference as statistical_parity_difference_change,
        min_high_success_rate,
        baseline_min_high_success_rate,
        min_high_success_rate - baseline_min_high_success_rate as min_high_success_rate_change,
        max_high_success_rate,
        baseline_max_high_success_rate,
        max_high_success_rate - baseline_max_high_success_rate as max_high_success_rate_change,
        four_fifths_verdict,
        baseline_four_fifths_verdict,
        -- null-safe: an undefined verdict (null) is a value of its own
        case
            when in_current_build and in_baseline_build
                then not (four_fifths_verdict is not distinct from baseline_four_fifths_verdict)
        end as verdict_flipped,
        {{ tolerance }}::double as fairness_drift_tolerance,
        baseline_disparate_impact_ratio - disparate_impact_ratio > {{ tolerance }}
            as disparate_impact_dropped_beyond_tolerance
    from paired
)

select * from fairness_changes
order by baseline desc, outcome asc, attribute asc
