{#- One row per outcome x attribute x control attribute: conditional demographic disparity of the
    attribute's smallest group (Wachter et al., AIF360's DD per stratum) and the smoothed
    differential-fairness epsilon (Foulds et al., AIF360's smoothed_edf per stratum, maximised over
    the strata), from the few rows of conditional_parity: between the disclosed groups, the undisclosed
    group keeping its own rows there. -#}

with conditional_parity as (
    select
        outcome,
        attribute,
        control_attribute,
        control_value,
        group_value,
        n,
        smoothed_rate,
        stratum_n,
        stratum_high_success_n,
        stratum_n_groups,
        demographic_disparity
    from {{ ref('conditional_parity') }}
    where not is_undisclosed
),

strata as (
    select
        outcome,
        attribute,
        control_attribute,
        control_value,
        any_value(stratum_n) as stratum_n,
        any_value(stratum_n_groups) as stratum_n_groups,
        -- DD is defined in a stratum with high-success artists and others (0/0 otherwise)
        bool_and(demographic_disparity is not null) as has_both_outcomes,
        max(smoothed_rate) as higher_smoothed_rate,
        -- the group of the highest smoothed rate, ties broken by group value
        first(group_value order by smoothed_rate desc, group_value asc) as higher_rate_group
    from conditional_parity
    group by outcome, attribute, control_attribute, control_value
),

stratum_epsilons as (
    select
        strata.outcome,
        strata.attribute,
        strata.control_attribute,
        strata.control_value,
        strata.higher_rate_group,
        -- the lowest smoothed rate of the other groups (all equal rates: the next group by value)
        first(conditional_parity.group_value order by conditional_parity.smoothed_rate asc, conditional_parity.group_value asc)
            as lower_rate_group,
        ln(strata.higher_smoothed_rate) - ln(min(conditional_parity.smoothed_rate)) as rate_log_ratio,
        ln(1 - min(conditional_parity.smoothed_rate)) - ln(1 - strata.higher_smoothed_rate) as complement_log_ratio
    from strata
    inner join conditional_parity
        on
            strata.outcome = conditional_parity.outcome
            and strata.attribute = conditional_parity.attribute
            and strata.control_attribute = conditional_parity.control_attribute
            and strata.control_value = conditional_parity.control_value
            and strata.higher_rate_group <> conditional_parity.group_value
    -- a stratum of one group has no pair of groups to compare (the inner join drops it)
    group by
        strata.outcome, strata.attribute, strata.control_attribute, strata.control_value,
        strata.higher_rate_group, strata.higher_smoothed_rate
),

epsilons as (
    select
        outcome,
        attribute,
        control_attribute,
        count(*) as epsilon_n_strata,
        -- smoothed_edf: the larger of the two log ratios; the largest over strata, ties by control value
        max(greatest(rate_log_ratio, complement_log_ratio)) as differential_fairness_epsilon,
        first(control_value order by greatest(rate_log_ratio, complement_log_ratio) desc, control_value asc)
            as epsilon_control_value,
        first(higher_rate_group order by greatest(rate_log_ratio, complement_log_ratio) desc, control_value asc)
            as epsilon_higher_rate_group,
        first(lower_rate_group order by greatest(rate_log_ratio, complement_log_ratio) desc, control_value asc)
            as epsilon_lower_rate_group,
        first(
            case when rate_log_ratio >= complement_log_ratio then 'high_success_rate' else 'other_rate' end
            order by greatest(rate_log_ratio, complement_log_ratio) desc, control_value asc
        ) as epsilon_from
    from stratum_epsilons
    group by outcome, attribute, control_attribute
),

group_sizes as (
    select
        outcome,
        attribute,
        control_attribute,
        group_value,
        sum(n)::bigint as n
    from conditional_parity
    group by outcome, attribute, control_attribute, group_value
),

smallest_groups as (
    select
        outcome,
        attribute,
        control_attribute,
        count(*) as n_groups,
        sum(n)::bigint as n,
        first(group_value order by n asc, group_value asc) as cdd_group,
        min(n) as cdd_group_n
    from group_sizes
    group by outcome, attribute, control_attribute
),

stratum_counts as (
    select
        outcome,
        attribute,
        control_attribute,
        count(*) as n_strata,
        count(*) filter (where has_both_outcomes) as cdd_n_strata,
        coalesce(sum(stratum_n) filter (where has_both_outcomes), 0)::bigint as cdd_n
    from strata
    group by outcome, attribute, control_attribute
),

group_disparities as (
    -- the smallest group's N_stratum x DD; a stratum without the group adds 0 (its DD is 0 - 0)
    select
        smallest_groups.outcome,
        smallest_groups.attribute,
        smallest_groups.control_attribute,
        coalesce(sum(conditional_parity.stratum_n * conditional_parity.demographic_disparity), 0)
            as weighted_disparity_sum
    from smallest_groups
    left join conditional_parity
        on
            smallest_groups.outcome = conditional_parity.outcome
            and smallest_groups.attribute = conditional_parity.attribute
            and smallest_groups.control_attribute = conditional_parity.control_attribute
            and smallest_groups.cdd_group = conditional_parity.group_value
    group by smallest_groups.outcome, smallest_groups.attribute, smallest_groups.control_attribute
),

conditional_parity_summary as (
    select
        smallest_groups.outcome,
        smallest_groups.attribute,
        smallest_groups.control_attribute,
        {{ var('smoothing_concentration') | float }}::double as smoothing_concentration,
        smallest_groups.n,
        smallest_groups.n_groups,
        stratum_counts.n_strata,
        smallest_groups.cdd_group,
        smallest_groups.cdd_group_n,
        -- a lone group is every stratum's whole: its DD is 0 - 0 by construction, no evidence of parity
        case
            when smallest_groups.n_groups >= 2 and stratum_counts.cdd_n > 0
                then group_disparities.weighted_disparity_sum / stratum_counts.cdd_n
        end as conditional_demographic_disparity,
        stratum_counts.cdd_n_strata,
        stratum_counts.cdd_n,
        case
            when smallest_groups.n_groups < 2 then 'fewer_than_two_groups'
            when stratum_counts.cdd_n = 0 then 'no_stratum_with_both_outcomes'
        end as cdd_undefined_reason,
        epsilons.differential_fairness_epsilon,
        epsilons.epsilon_control_value,
        epsilons.epsilon_higher_rate_group,
        epsilons.epsilon_lower_rate_group,
        epsilons.epsilon_from,
        coalesce(epsilons.epsilon_n_strata, 0) as epsilon_n_strata,
        case
            when smallest_groups.n_groups < 2 then 'fewer_than_two_groups'
            when epsilons.epsilon_n_strata is null then 'no_stratum_with_two_groups'
        end as epsilon_undefined_reason
    from smallest_groups
    inner join stratum_counts
        on
            smallest_groups.outcome = stratum_counts.outcome
            and smallest_groups.attribute = stratum_counts.attribute
            and smallest_groups.control_attribute = stratum_counts.control_attribute
    inner join group_disparities
        on
            smallest_groups.outcome = group_disparities.outcome
            and smallest_groups.attribute = group_disparities.attribute
            and smallest_groups.control_attribute = group_disparities.control_attribute
    left join epsilons
        on
            smallest_groups.outcome = epsilons.outcome
            and smallest_groups.attribute = epsilons.attribute
            and smallest_groups.control_attribute = epsilons.control_attribute
)

select * from conditional_parity_summary
order by outcome, attribute, control_attribute
