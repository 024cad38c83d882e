{#- One row per outcome x attribute x control attribute x control value x group: each group's
    high-success rate within a stratum of a control (var fairness_controls), against the reference
    group of group_outcomes in the same stratum, smoothed (var smoothing_concentration) and with
    the group's demographic disparity in the stratum. One pass over the artists: a grouping set
    per (attribute, control) column pair. -#}
{%- set outcomes = var('outcomes') -%}
{%- set pairs = var('fairness_control_pairs') -%}
{%- set concentration = var('smoothing_concentration') | float -%}
{%- set columns = [] -%}
{%- for pair in pairs -%}
    {%- for column in pair if column not in columns -%}
        {%- do columns.append(column) -%}
    {%- endfor -%}
{%- endfor -%}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),

reference_groups as (
    select
        outcome,
        attribute,
        any_value(reference_group) as reference_group
    from {{ ref('group_outcomes') }}
    group by outcome, attribute
),

stratum_group_stats as (
    select
        {%- for column in columns %}
        {{ adapter.quote(column) }},
        -- true in the grouping sets this column is part of (its null is then a real value)
        grouping({{ adapter.quote(column) }}) = 0 as {{ outcome_column(column, 'grouped') }},
        {%- endfor %}
        count(*) as n,
        {%- for outcome in outcomes %}
        count(*) filter (where {{ outcome_column(outcome, 'is_high_success') }})
            as {{ outcome_column(outcome, 'high_success_n') }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from artist_outcome_flags
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_control_grouping_sets(pairs) }}  -- noqa: PRS
),

group_counts as (
    {%- for outcome in outcomes %}
    {%- set outcome_loop = loop %}
    {%- for attribute, control in pairs %}
    select
        {{ sql_literal(outcome) }} as outcome,
        {{ sql_literal(attribute) }} as attribute,
        {{ sql_literal(control) }} as control_attribute,
        {{ adapter.quote(control) }} as control_value,
        {{ adapter.quote(attribute) }} as group_value,
        n,
        {{ outcome_column(outcome, 'high_success_n') }} as high_success_n
    from stratum_group_stats
    -- the set of this pair; artists without a group or a control value are left out
    where
        {{ outcome_column(attribute, 'grouped') }} and {{ outcome_column(control, 'grouped') }}
        and {{ adapter.quote(attribute) }} is not null and {{ adapter.quote(control) }} is not null
    {% if not (loop.last and outcome_loop.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}
),

strata as (
    select
        outcome,
        attribute,
        control_attribute,
        control_value,
        sum(n)::bigint as stratum_n,
        sum(high_success_n)::bigint as stratum_high_success_n,
        count(*) as stratum_n_groups
    from group_counts
    group by outcome, attribute, control_attribute, control_value
),

group_rates as (
    select
        group_counts.outcome,
        group_counts.attribute,
        group_counts.control_attribute,
        group_counts.control_value,
        group_counts.group_value,
        group_counts.n,
        group_counts.high_success_n,
        group_counts.high_success_n::double / group_counts.n as high_success_rate,
        strata.stratum_n,
        strata.stratum_high_success_n,
        strata.stratum_n_groups,
        reference_groups.reference_group,
        coalesce(group_counts.group_value = reference_groups.reference_group, false) as is_reference_group,
        -- Foulds et al.'s smoothed rate with |R_Y| = 2 labels: (successes + c / 2) / (n + c)
        (group_counts.high_success_n + {{ concentration }}::double / 2)
        / (group_counts.n + {{ concentration }}::double) as smoothed_rate,
        -- AIF360's DD: the group's share of the stratum's others minus its share of its high-success artists
        case
            when strata.stratum_high_success_n > 0 and strata.stratum_high_success_n < strata.stratum_n
                then (group_counts.n - group_counts.high_success_n)::double
                / (strata.stratum_n - strata.stratum_high_success_n)
                - group_counts.high_success_n::double / strata.stratum_high_success_n
        end as demographic_disparity,
        case
            when strata.stratum_high_success_n = 0 then 'no_high_success_in_stratum'
            when strata.stratum_high_success_n = strata.stratum_n then 'all_high_success_in_stratum'
        end as demographic_disparity_undefined_reason
    from group_counts
    inner join strata
        on
            group_counts.outcome = strata.outcome
            and group_counts.attribute = strata.attribute
            and group_counts.control_attribute = strata.control_attribute
            and group_counts.control_value = strata.control_value
    inner join reference_groups
        on group_counts.outcome = reference_groups.outcome and group_counts.attribute = reference_groups.attribute
),

reference_rates as (
    select
        outcome,
        attribute,
        control_attribute,
        control_value,
        high_success_rate as reference_rate
    from group_rates
    where is_reference_group
),

conditional_parity as (
    select
        group_rates.outcome,
        group_rates.attribute,
        group_rates.control_attribute,
        group_rates.control_value,
        group_rates.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        group_rates.n,
        group_rates.high_success_n,
        group_rates.high_success_rate as rate,
        group_rates.stratum_n,
        group_rates.stratum_high_success_n,
        group_rates.stratum_n_groups,
        group_rates.reference_group,
        group_rates.is_reference_group,
        reference_rates.reference_rate,
        group_rates.high_success_rate - reference_rates.reference_rate as rate_difference,
        reference_rates.reference_rate is null as reference_group_absent,
        group_rates.smoothed_rate,
        group_rates.demographic_disparity,
        group_rates.demographic_disparity_undefined_reason,
        group_rates.n < {{ var('min_group_size') | int }} as small_group
    from group_rates
    left join reference_rates
        on
            group_rates.outcome = reference_rates.outcome
            and group_rates.attribute = reference_rates.attribute
            and group_rates.control_attribute = reference_rates.control_attribute
            and group_rates.control_value = reference_rates.control_value
    {{ join_undisclosed_flag('group_rates') }}
)

select * from conditional_parity
order by outcome, attribute, control_attribute, control_value, group_value
