{#- One row per outcome x attribute x group x comparator (`reference` or `rest`): the gap between
    the group's high-success rate and the comparator's, with Newcombe's interval on the difference,
    Katz's on the ratio, the pooled z test and its p-value adjusted for the attribute's many groups.
    Closed form over the counts of group_comparison_tests: no row per artist. -#}
{%- set z = var('rate_interval_z') -%}

with comparison_tests as (
    select
        outcome,
        attribute,
        group_value,
        comparator,
        comparator_group,
        n,
        high_success_n,
        comparator_n,
        comparator_high_success_n,
        z_statistic,
        p_value,
        test_skip_reason
    from {{ ref('group_comparison_tests') }}
),

flagged_tests as (
    select
        comparison_tests.*,
        {{ undisclosed_flag() }} as is_undisclosed
    from comparison_tests
    {{ join_undisclosed_flag('comparison_tests') }}
),

rates as (
    select
        *,
        high_success_n::double / n as rate,
        case when comparator_n > 0 then comparator_high_success_n::double / comparator_n end as comparator_rate,
        {{ fairness_wilson_columns('high_success_n', 'n', 'rate') }},
        {{ fairness_wilson_columns('comparator_high_success_n', 'comparator_n', 'comparator') }}
    from flagged_tests
),

gaps as (
    select
        *,
        rate - comparator_rate as rate_difference,
        -- Newcombe's hybrid score interval: each side's Wilson bounds combined in quadrature
        {{ fairness_newcombe_difference_columns('rate', 'rate', 'comparator_rate', 'comparator') }},
        case when comparator_rate > 0 then rate / comparator_rate end as rate_ratio,
        case
            when comparator_n = 0 then 'empty_comparator'
            when comparator_high_success_n = 0 then 'comparator_rate_zero'
            when high_success_n = 0 then 'rate_zero'
        end as rate_ratio_ci_undefined_reason
    from rates
),

ratio_intervals as (
    select
        *,
        -- Katz's log interval: log(ratio) +- z * sqrt(1/k1 - 1/n1 + 1/k2 - 1/n2), defined when both counts > 0
        case when rate_ratio_ci_undefined_reason is null then
            exp(ln(rate_ratio) - {{ z }} * sqrt(
                1 / high_success_n::double - 1 / n::double
                + 1 / comparator_high_success_n::double - 1 / comparator_n::double
            ))
        end as rate_ratio_ci_low,
        case when rate_ratio_ci_undefined_reason is null then
            exp(ln(rate_ratio) + {{ z }} * sqrt(
                1 / high_success_n::double - 1 / n::double
                + 1 / comparator_high_success_n::double - 1 / comparator_n::double
            ))
        end as rate_ratio_ci_high
    from gaps
),

ranked_p_values as (
    select
        *,
        count(p_value) over family as family_tests,
        row_number() over (partition by outcome, attribute, comparator order by p_value nulls last, group_value) as p_value_rank
    from ratio_intervals
    window family as (partition by outcome, attribute, comparator)
),

adjusted_p_values as (
    select
        *,
        -- Holm's step-down: the running maximum of (m - i + 1) p_(i) over the sorted p-values
        least(1, max((family_tests - p_value_rank + 1) * p_value) over (
            partition by outcome, attribute, comparator order by p_value_rank
            rows between unbounded preceding and current row
        )) as p_value_holm,
        -- Benjamini-Hochberg's step-up: the running minimum of m p_(i) / i from the largest p-value down
        least(1, min(family_tests * p_value / p_value_rank) over (
            partition by outcome, attribute, comparator order by p_value_rank
            rows between current row and unbounded following
        )) as p_value_bh
    from ranked_p_values
),

group_comparisons as (
    select
        outcome,
        attribute,
        group_value,
        is_undisclosed,
        comparator,
        comparator_group,
        n,
        high_success_n,
        rate,
        comparator_n,
        comparator_high_success_n,
        comparator_rate,
        rate_difference,
        rate_difference_ci_low,
        rate_difference_ci_high,
        rate_ratio,
        rate_ratio_ci_low,
        rate_ratio_ci_high,
        rate_ratio_ci_undefined_reason,
        z_statistic,
        -- p-values are null where the test is skipped; the adjustments count only the tested groups
        p_value,
        case when p_value is not null then p_value_holm end as p_value_holm,
        case when p_value is not null then p_value_bh end as p_value_bh,
        test_skip_reason,
        case when p_value is not null then p_value_holm < {{ var('significance_level') | float }} end as significant,
        n < {{ var('min_group_size') | int }} as small_group
    from adjusted_p_values
    order by outcome, attribute, comparator, group_value
)

select * from group_comparisons
