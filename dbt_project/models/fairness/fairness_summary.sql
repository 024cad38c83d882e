{#- One row per outcome x protected attribute: the notebook's fairness metrics plus the
    disparate-impact ratio, the four-fifths rule with its verdict under uncertainty, the parity
    band and tests of independence. -#}
{%- set z = var('rate_interval_z') -%}
{%- set tolerance = var('parity_tolerance') | float -%}

with group_outcomes as (
    select
        outcome,
        attribute,
        group_value,
        threshold,
        n,
        mean_outcome,
        high_success_n,
        high_success_rate,
        disparity_ratio,
        small_group,
        is_undisclosed
    from {{ ref('group_outcomes') }}
    -- pandas' groupby leaves out the artists without a group, and so does the comparison of groups;
    -- the undisclosed group is compared on its own (fairness.attribute_disclosure), not with the groups
    where group_value is not null and not is_undisclosed
),

significant_reference_gaps as (
    select
        outcome,
        attribute,
        count(*) filter (where significant) as significant_groups
    from {{ ref('group_comparisons') }}
    where comparator = 'reference'
    group by outcome, attribute
),

independence_tests as (
    select
        outcome,
        attribute,
        chi_square_statistic,
        chi_square_dof,
        chi_square_p_value,
        chi_square_expected_below_5_share,
        chi_square_approximation_reliable,
        chi_square_skip_reason,
        kruskal_statistic,
        kruskal_dof,
        kruskal_p_value,
        kruskal_skip_reason
    from {{ ref('attribute_independence_tests') }}
),

attribute_metrics as (
    select
        outcome,
        attribute,
        any_value(threshold) as threshold,
        sum(n)::bigint as n,
        count(*) as n_groups,
        count(*) filter (where small_group) as n_small_groups,
        max(high_success_rate) filter (where not small_group) as max_large_group_rate,
        min(high_success_rate) filter (where not small_group) as min_large_group_rate,
        max(high_success_rate) as max_high_success_rate,
        min(high_success_rate) as min_high_success_rate,
        -- ties broken by group value so that the answer does not depend on row order
        first(group_value order by high_success_rate desc, group_value asc) as max_rate_group,
        first(group_value order by high_success_rate asc, group_value asc) as min_rate_group,
        first(n order by high_success_rate desc, group_value asc) as max_rate_group_n,
        first(high_success_n order by high_success_rate desc, group_value asc) as max_rate_group_high_success_n,
        first(n order by high_success_rate asc, group_value asc) as min_rate_group_n,
        first(high_success_n order by high_success_rate asc, group_value asc) as min_rate_group_high_success_n,
        -- Aequitas' two-sided band: a group passes when tolerance <= disparity_ratio <= 1 / tolerance
        count(*) filter (
            where disparity_ratio < {{ tolerance }} or disparity_ratio > 1 / {{ tolerance }}
        ) as groups_outside_parity_band,
        max(mean_outcome) as max_mean_outcome,
        min(mean_outcome) as min_mean_outcome,
        first(group_value order by mean_outcome desc, group_value asc) as max_mean_group,
        first(group_value order by mean_outcome asc, group_value asc) as min_mean_group
    from group_outcomes
    group by outcome, attribute
),

comparable_attributes as (
    select
        *,
        -- a lone group's rate over itself is 1 by construction, no evidence of parity: nothing is compared
        case when n_groups < 2 then 'fewer_than_two_groups' end as not_comparable_reason
    from attribute_metrics
),

ratios as (
    select
        comparable_attributes.*,
        case
            when comparable_attributes.not_comparable_reason is null
                then comparable_attributes.max_high_success_rate - comparable_attributes.min_high_success_rate
        end as statistical_parity_difference,
        case
            when comparable_attributes.not_comparable_reason is null and comparable_attributes.min_mean_outcome > 0
                then comparable_attributes.max_mean_outcome / comparable_attributes.min_mean_outcome
        end as success_ratio,
        case
            when comparable_attributes.not_comparable_reason is null and comparable_attributes.max_high_success_rate > 0
                then comparable_attributes.min_high_success_rate / comparable_attributes.max_high_success_rate
        end as disparate_impact_ratio,
        -- small groups' rates swing between 0 and 1 by chance: the same ratio without them
        case
            when comparable_attributes.n_groups - comparable_attributes.n_small_groups >= 2
                and comparable_attributes.max_large_group_rate > 0
                then comparable_attributes.min_large_group_rate / comparable_attributes.max_large_group_rate
        end as large_groups_disparate_impact_ratio,
        -- Katz's log interval on the lowest group's rate over the highest's, defined when both counts > 0
        case
            when comparable_attributes.not_comparable_reason is null
                and comparable_attributes.min_rate_group_high_success_n > 0
                then {{ z }} * sqrt(
                    1 / comparable_attributes.min_rate_group_high_success_n::double
                    - 1 / comparable_attributes.min_rate_group_n::double
                    + 1 / comparable_attributes.max_rate_group_high_success_n::double
                    - 1 / comparable_attributes.max_rate_group_n::double
                )
        end as disparate_impact_log_margin
    from comparable_attributes
),

disparate_impact_intervals as (
    select
        ratios.*,
        case when ratios.disparate_impact_log_margin is not null
            then exp(ln(ratios.disparate_impact_ratio) - ratios.disparate_impact_log_margin)
        end as disparate_impact_ci_low,
        case when ratios.disparate_impact_log_margin is not null
            then exp(ln(ratios.disparate_impact_ratio) + ratios.disparate_impact_log_margin)
        end as disparate_impact_ci_high
    from ratios
),

verdicts as (
    select
        *,
        case
            when not_comparable_reason is not null then 'not_comparable'
            when disparate_impact_ratio is null then null
            when disparate_impact_ratio >= {{ var('four_fifths_threshold') | float }} then 'pass'
            when disparate_impact_ci_high < {{ var('four_fifths_threshold') | float }} then 'conclusive_fail'
            else 'inconclusive'
        end as four_fifths_verdict
    from disparate_impact_intervals
),

fairness_summary as (
    select
        verdicts.outcome,
        verdicts.attribute,
        verdicts.threshold,
        verdicts.n,
        verdicts.n_groups,
        verdicts.n_small_groups,
        verdicts.statistical_parity_difference,
        verdicts.max_rate_group,
        verdicts.max_high_success_rate,
        verdicts.min_rate_group,
        verdicts.min_high_success_rate,
        verdicts.disparate_impact_ratio,
        verdicts.disparate_impact_ratio is null as disparate_impact_undefined,
        {{ var('four_fifths_threshold') | float }}::double as four_fifths_threshold,
        verdicts.disparate_impact_ratio >= {{ var('four_fifths_threshold') | float }} as passes_four_fifths,
        verdicts.large_groups_disparate_impact_ratio,
        verdicts.large_groups_disparate_impact_ratio >= {{ var('four_fifths_threshold') | float }}
            as large_groups_pass_four_fifths,
        verdicts.disparate_impact_ci_low,
        verdicts.disparate_impact_ci_high,
        verdicts.four_fifths_verdict,
        verdicts.not_comparable_reason,
        {{ tolerance }}::double as parity_tolerance,
        case when verdicts.not_comparable_reason is null then verdicts.groups_outside_parity_band end
            as groups_outside_parity_band,
        coalesce(significant_reference_gaps.significant_groups, 0) as significant_groups,
        verdicts.success_ratio,
        verdicts.success_ratio is null as success_ratio_undefined,
        verdicts.max_mean_group,
        verdicts.max_mean_outcome,
        verdicts.min_mean_group,
        verdicts.min_mean_outcome,
        independence_tests.chi_square_statistic,
        independence_tests.chi_square_dof,
        independence_tests.chi_square_p_value,
        independence_tests.chi_square_expected_below_5_share,
        independence_tests.chi_square_approximation_reliable,
        independence_tests.chi_square_skip_reason,
        independence_tests.kruskal_statistic,
        independence_tests.kruskal_dof,
        independence_tests.kruskal_p_value,
        independence_tests.kruskal_skip_reason
    from verdicts
    left join independence_tests
        on verdicts.outcome = independence_tests.outcome and verdicts.attribute = independence_tests.attribute
    left join significant_reference_gaps
        on verdicts.outcome = significant_reference_gaps.outcome and verdicts.attribute = significant_reference_gaps.attribute
    order by verdicts.outcome, verdicts.attribute
)

select * from fairness_summary
