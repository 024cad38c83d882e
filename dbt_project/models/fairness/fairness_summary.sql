{#- One row per outcome x protected attribute: the notebook's fairness metrics plus the
    disparate-impact ratio, the four-fifths rule and tests of independence. -#}

with group_outcomes as (
    select
        outcome,
        attribute,
        group_value,
        threshold,
        n,
        mean_outcome,
        high_success_rate,
        small_group
    from {{ ref('group_outcomes') }}
    -- pandas' groupby leaves out the artists without a group, and so does the comparison of groups
    where group_value is not null
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
        max(mean_outcome) as max_mean_outcome,
        min(mean_outcome) as min_mean_outcome,
        first(group_value order by mean_outcome desc, group_value asc) as max_mean_group,
        first(group_value order by mean_outcome asc, group_value asc) as min_mean_group
    from group_outcomes
    group by outcome, attribute
),

ratios as (
    select
        attribute_metrics.*,
        attribute_metrics.max_high_success_rate - attribute_metrics.min_high_success_rate
            as statistical_parity_difference,
        case
            when attribute_metrics.min_mean_outcome > 0
                then attribute_metrics.max_mean_outcome / attribute_metrics.min_mean_outcome
        end as success_ratio,
        case
            when attribute_metrics.max_high_success_rate > 0
                then attribute_metrics.min_high_success_rate / attribute_metrics.max_high_success_rate
        end as disparate_impact_ratio,
        -- small groups' rates swing between 0 and 1 by chance: the same ratio without them
        case
            when attribute_metrics.n_groups - attribute_metrics.n_small_groups >= 2
                and attribute_metrics.max_large_group_rate > 0
                then attribute_metrics.min_large_group_rate / attribute_metrics.max_large_group_rate
        end as large_groups_disparate_impact_ratio
    from attribute_metrics
),

fairness_summary as (
    select
        ratios.outcome,
        ratios.attribute,
        ratios.threshold,
        ratios.n,
        ratios.n_groups,
        ratios.n_small_groups,
        ratios.statistical_parity_difference,
        ratios.max_rate_group,
        ratios.max_high_success_rate,
        ratios.min_rate_group,
        ratios.min_high_success_rate,
        ratios.disparate_impact_ratio,
        ratios.disparate_impact_ratio is null as disparate_impact_undefined,
        {{ var('four_fifths_threshold') | float }}::double as four_fifths_threshold,
        ratios.disparate_impact_ratio >= {{ var('four_fifths_threshold') | float }} as passes_four_fifths,
        ratios.large_groups_disparate_impact_ratio,
        ratios.large_groups_disparate_impact_ratio >= {{ var('four_fifths_threshold') | float }}
            as large_groups_pass_four_fifths,
        ratios.success_ratio,
        ratios.success_ratio is null as success_ratio_undefined,
        ratios.max_mean_group,
        ratios.max_mean_outcome,
        ratios.min_mean_group,
        ratios.min_mean_outcome,
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
    from ratios
    left join independence_tests
        on ratios.outcome = independence_tests.outcome and ratios.attribute = independence_tests.attribute
    order by ratios.outcome, ratios.attribute
)

select * from fairness_summary
