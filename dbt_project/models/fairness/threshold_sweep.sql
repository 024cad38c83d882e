{#- One row per outcome x cut of var fairness_cuts x protected attribute x group: group_outcomes'
    high-success rate, Wilson interval and disparity ratio, and fairness_summary's disparate-impact
    ratio, with "selected" swept over several cuts instead of the one high_success_percentile.

    Every threshold is computed once (one aggregate over the artists: per outcome a quantile_cont of
    the list of percentiles and a top-n heap), then one pass over the artists counts, per group of
    every attribute (grouping sets), the artists each cut selects. The reference group of each
    attribute is the one group_outcomes chose. -#}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}
{%- set cuts = var('fairness_threshold_cuts') -%}
{%- set percentile_cuts = cuts | selectattr('kind', 'equalto', 'percentile') | list -%}

with artists as (
    select
        {{ fairness_attribute_columns(attributes) }},
        {%- for outcome in outcomes %}
        {{ adapter.quote(outcome) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('artist_features') }}
),

outcome_quantiles as (
    -- per outcome: numpy's np.percentile(x, q), linear rule, as int_artist_outcome_flags' quantile_cont,
    -- given the list of every percentile cut (one sort of the values for all, the same numbers); and
    -- per top_n cut the n largest values (a heap of n, no sort; fewer when n > artists)
    select
        {%- set aggregates = [] %}
        {%- for outcome in outcomes %}
        {%- if percentile_cuts %}
        {%- set fractions = [] %}
        {%- for cut in percentile_cuts %}{% do fractions.append(cut.value / 100) %}{% endfor %}
        {%- do aggregates.append('quantile_cont(' ~ adapter.quote(outcome) ~ '::double, [' ~ fractions | join(', ')
            ~ ']) as ' ~ outcome_column(outcome, 'percentiles')) %}
        {%- endif %}
        {%- for cut in cuts if cut.kind == 'top_n' %}
        {%- do aggregates.append('max(' ~ adapter.quote(outcome) ~ ', ' ~ cut.value ~ ') as '
            ~ outcome_column(outcome, cut.column ~ '_largest')) %}
        {%- endfor %}
        {%- endfor %}
        {{ aggregates | join(',\n        ') }}
    from artists
),

thresholds as (
    select
        {%- for outcome in outcomes %}
        {%- set outer_loop = loop %}
        {%- for cut in cuts %}
        {%- if cut.kind == 'percentile' %}
        {{ outcome_column(outcome, 'percentiles') }}[{{ percentile_cuts.index(cut) + 1 }}]
        {%- else %}
        -- the n-th largest value; the smallest of all when n >= artists, so everybody is selected
        list_last({{ outcome_column(outcome, cut.column ~ '_largest') }})::double
        {%- endif %}
            as {{ outcome_column(outcome, cut.column ~ '_threshold') }}
        {%- if not (loop.last and outer_loop.last) %},{% endif %}
        {%- endfor %}
        {%- endfor %}
    from outcome_quantiles
),

group_selections as (
    select
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        count(*) as n,
        {%- for outcome in outcomes %}
        {%- set outer_loop = loop %}
        {%- for cut in cuts %}
        count(*) filter (
            where artists.{{ adapter.quote(outcome) }} >= thresholds.{{ outcome_column(outcome, cut.column ~ '_threshold') }}
        ) as {{ outcome_column(outcome, cut.column ~ '_selected_n') }}
        {%- if not (loop.last and outer_loop.last) %},{% endif %}
        {%- endfor %}
        {%- endfor %}
    from artists
    cross join thresholds
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes) }}  -- noqa: PRS
),

group_cut_counts as (
    {%- for outcome in outcomes %}
    {%- set outer_loop = loop %}
    {%- for cut in cuts %}
    select
        {{ sql_literal(outcome) }} as outcome,
        {{ sql_literal(cut.name) }} as cut,
        {{ sql_literal(cut.kind) }} as cut_kind,
        {{ cut.value | float }}::double as cut_value,
        {{ cut.position | int }} as cut_position,
        group_selections.attribute,
        group_selections.group_value,
        thresholds.{{ outcome_column(outcome, cut.column ~ '_threshold') }} as threshold,
        group_selections.n,
        group_selections.{{ outcome_column(outcome, cut.column ~ '_selected_n') }} as selected_n
    from group_selections
    cross join thresholds
    {% if not (loop.last and outer_loop.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}
),

chosen_references as (
    select distinct
        outcome,
        attribute,
        reference_group
    from {{ ref('group_outcomes') }}
),

cut_totals as (
    -- every attribute's groups (the null group included) hold every artist once
    select
        outcome,
        cut,
        attribute,
        sum(n)::bigint as total_n,
        sum(selected_n)::bigint as cut_selected_n
    from group_cut_counts
    group by outcome, cut, attribute
),

group_rates as (
    select
        group_cut_counts.*,
        cut_totals.total_n,
        cut_totals.cut_selected_n,
        chosen_references.reference_group,
        {{ undisclosed_flag() }} as is_undisclosed,
        -- the artists without a group (null) are never the reference
        coalesce(group_cut_counts.group_value = chosen_references.reference_group, false) as is_reference_group,
        group_cut_counts.selected_n::double / group_cut_counts.n as rate,
        case
            when cut_totals.cut_selected_n = cut_totals.total_n then 'selects_everybody'
            when cut_totals.cut_selected_n = 0 then 'selects_nobody'
        end as cut_undefined_reason
    from group_cut_counts
    inner join cut_totals
        on group_cut_counts.outcome = cut_totals.outcome
        and group_cut_counts.cut = cut_totals.cut
        and group_cut_counts.attribute = cut_totals.attribute
    inner join chosen_references
        on group_cut_counts.outcome = chosen_references.outcome
        and group_cut_counts.attribute = chosen_references.attribute
    {{ join_undisclosed_flag('group_cut_counts') }}
),

reference_rates as (
    select
        outcome,
        cut,
        attribute,
        rate as reference_rate
    from group_rates
    where is_reference_group
),

attribute_rate_ranges as (
    -- pandas' groupby leaves out the artists without a group, and so does fairness_summary; the
    -- disparate-impact ratio compares the disclosed groups
    select
        outcome,
        cut,
        attribute,
        count(*) as n_groups,
        min(rate) as min_rate,
        max(rate) as max_rate
    from group_rates
    where group_value is not null and not is_undisclosed
    group by outcome, cut, attribute
),

ratio_reasons as (
    select
        group_rates.*,
        reference_rates.reference_rate,
        attribute_rate_ranges.min_rate,
        attribute_rate_ranges.max_rate,
        case
            when group_rates.cut_undefined_reason is not null then group_rates.cut_undefined_reason
            when reference_rates.reference_rate is null then 'reference_group_absent'
            when reference_rates.reference_rate = 0 then 'reference_rate_zero'
        end as disparity_ratio_undefined_reason,
        case
            when group_rates.cut_undefined_reason is not null then group_rates.cut_undefined_reason
            when attribute_rate_ranges.max_rate is null then 'no_group_with_value'
            -- as fairness_summary: a lone group's ratio to itself compares nothing
            when attribute_rate_ranges.n_groups < 2 then 'fewer_than_two_groups'
            when attribute_rate_ranges.max_rate = 0 then 'highest_rate_zero'
        end as disparate_impact_undefined_reason
    from group_rates
    left join reference_rates
        on group_rates.outcome = reference_rates.outcome
        and group_rates.cut = reference_rates.cut
        and group_rates.attribute = reference_rates.attribute
    left join attribute_rate_ranges
        on group_rates.outcome = attribute_rate_ranges.outcome
        and group_rates.cut = attribute_rate_ranges.cut
        and group_rates.attribute = attribute_rate_ranges.attribute
),

threshold_sweep as (
    select
        outcome,
        cut,
        cut_kind,
        cut_value,
        cut_position,
        attribute,
        group_value,
        is_undisclosed,
        threshold,
        cut_selected_n,
        n,
        selected_n,
        rate,
        greatest(0, {{ fairness_wilson_bound('selected_n', 'n', '-') }}) as rate_ci_low,
        least(1, {{ fairness_wilson_bound('selected_n', 'n', '+') }}) as rate_ci_high,
        reference_group,
        is_reference_group,
        case when disparity_ratio_undefined_reason is null then rate / reference_rate end as disparity_ratio,
        disparity_ratio_undefined_reason is not null as disparity_ratio_undefined,
        disparity_ratio_undefined_reason,
        case when disparate_impact_undefined_reason is null then min_rate / max_rate end as disparate_impact_ratio,
        disparate_impact_undefined_reason is not null as disparate_impact_undefined,
        disparate_impact_undefined_reason
    from ratio_reasons
)

select * from threshold_sweep
order by outcome, cut_position, attribute, group_value
