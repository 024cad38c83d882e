{#- One row per outcome x protected attribute x group: the notebook's calculate_fairness_metrics
    per group, with a Wilson interval on the high-success rate and a disparity ratio against a
    reference group. -#}
{%- set reference_groups = var('fairness_reference_groups') -%}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),

configured_references as (
    select
        configured.attribute,
        configured.group_value
    from (
        values
        {%- for attribute, group_value in reference_groups.items() %}
        ({{ sql_literal(attribute) }}, {{ sql_literal(group_value) }}),
        {%- endfor %}
        -- a values list cannot be empty: this row stands for "no configured reference" and is dropped
        (null::varchar, null::varchar)
    ) as configured (attribute, group_value)
    where configured.attribute is not null
),

attribute_group_stats as (
    select
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        {{ fairness_grouping_set_is_undisclosed(attributes) }} as is_undisclosed,
        count(*) as n,
        {%- for outcome in outcomes %}
        any_value({{ outcome_column(outcome, 'threshold') }}) as {{ outcome_column(outcome, 'threshold') }},
        count(*) filter (where {{ outcome_column(outcome, 'is_high_success') }})
            as {{ outcome_column(outcome, 'high_success_n') }},
        -- the exact sum of the counts / count, pandas' mean
        sum({{ adapter.quote(outcome) }})::double / count(*) as {{ outcome_column(outcome, 'mean') }},
        median({{ adapter.quote(outcome) }}::double) as {{ outcome_column(outcome, 'median') }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from artist_outcome_flags
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes) }}  -- noqa: PRS
),

group_counts as (
    {%- for outcome in outcomes %}
    select
        {{ sql_literal(outcome) }} as outcome,
        attribute,
        group_value,
        is_undisclosed,
        {{ outcome_column(outcome, 'threshold') }} as threshold,
        n,
        {{ outcome_column(outcome, 'high_success_n') }} as high_success_n,
        {{ outcome_column(outcome, 'mean') }} as mean_outcome,
        {{ outcome_column(outcome, 'median') }} as median_outcome
    from attribute_group_stats
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

attribute_totals as (
    select
        outcome,
        attribute,
        sum(n)::bigint as total_n,
        sum(high_success_n)::bigint as total_high_success_n,
        -- largest disclosed group, ties broken by value: the reference when the var names none
        first(group_value order by n desc, group_value asc) filter (where not is_undisclosed) as largest_group
    from group_counts
    group by outcome, attribute
),

chosen_references as (
    select
        attribute_totals.outcome,
        attribute_totals.attribute,
        coalesce(configured_references.group_value, attribute_totals.largest_group) as reference_group
    from attribute_totals
    left join configured_references on attribute_totals.attribute = configured_references.attribute
),

shares as (
    select
        group_counts.*,
        attribute_totals.total_n,
        attribute_totals.total_high_success_n,
        chosen_references.reference_group,
        -- the artists without a group (null) are never the reference
        coalesce(group_counts.group_value = chosen_references.reference_group, false) as is_reference_group,
        group_counts.n::double / attribute_totals.total_n as population_share,
        group_counts.high_success_n::double / group_counts.n as high_success_rate,
        case
            when attribute_totals.total_high_success_n > 0
                then group_counts.high_success_n::double / attribute_totals.total_high_success_n
        end as top_tier_share
    from group_counts
    inner join attribute_totals
        on group_counts.outcome = attribute_totals.outcome and group_counts.attribute = attribute_totals.attribute
    inner join chosen_references
        on group_counts.outcome = chosen_references.outcome and group_counts.attribute = chosen_references.attribute
),

reference_rates as (
    select
        outcome,
        attribute,
        high_success_rate as reference_rate
    from shares
    where is_reference_group
),

group_outcomes as (
    select
        shares.outcome,
        shares.attribute,
        shares.group_value,
        shares.is_undisclosed,
        shares.threshold,
        shares.n,
        shares.population_share,
        shares.mean_outcome,
        shares.median_outcome,
        shares.high_success_n,
        shares.high_success_rate,
        greatest(0, {{ fairness_wilson_bound('shares.high_success_n', 'shares.n', '-') }}) as rate_ci_low,
        least(1, {{ fairness_wilson_bound('shares.high_success_n', 'shares.n', '+') }}) as rate_ci_high,
        shares.top_tier_share,
        -- the notebook's order of operations: (top-tier share) / (population share)
        shares.top_tier_share / shares.population_share as representation_ratio,
        shares.top_tier_share is null as representation_ratio_undefined,
        shares.reference_group,
        shares.is_reference_group,
        case
            when reference_rates.reference_rate > 0 then shares.high_success_rate / reference_rates.reference_rate
        end as disparity_ratio,
        shares.high_success_rate - reference_rates.reference_rate as rate_difference,
        coalesce(reference_rates.reference_rate, 0) = 0 as disparity_ratio_undefined,
        shares.n < {{ var('min_group_size') | int }} as small_group
    from shares
    left join reference_rates
        on shares.outcome = reference_rates.outcome and shares.attribute = reference_rates.attribute
    order by shares.outcome, shares.attribute, shares.group_value
)

select * from group_outcomes
