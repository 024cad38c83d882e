{#- One row per outcome x protected attribute x group: the counts and rank sums from which
    ml/fairness_stats.py computes the chi-square and Kruskal-Wallis tests, so that Python never
    reads one row per artist. Per outcome the distinct values are ranked once, and one pass over
    the artists sums the ranks per group of every attribute (grouping sets).

    An attribute's ranks leave out the artists without a group, as the tests do. Attributes that
    have no such artist (the usual case: staging rejects blank text) share the ranks among all
    artists; only an attribute with nulls gets ranks of its own (count(attribute) skips them). -#}
/* depends_on: {{ ref('artist_features') }} (fairness_attributes_with_nulls queries it) */
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}
{%- set nullable = fairness_attributes_with_nulls(attributes) -%}
{%- set rankings = ['all'] + nullable -%}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),
{%- for outcome in outcomes %}

{{ outcome }}_value_ties as (
    select
        {{ adapter.quote(outcome) }}::double as outcome_value,
        count(*) as {{ outcome_column('all', 'ties') }}
        {%- for attribute in nullable %},
        count({{ adapter.quote(attribute) }}) as {{ outcome_column(attribute, 'ties') }}
        {%- endfor %}
    from artist_outcome_flags
    group by {{ adapter.quote(outcome) }}::double
),

{{ outcome }}_value_ranks as (
    -- scipy's rankdata(method='average'): 1-based, tied values share the mean of their ranks, i.e.
    -- the last rank of the tie (artists up to and including the value) - (ties - 1) / 2
    select
        outcome_value,
        {%- for ranking in rankings %}
        sum({{ outcome_column(ranking, 'ties') }}) over values_in_order
        - ({{ outcome_column(ranking, 'ties') }} - 1) / 2 as {{ outcome_column(ranking, 'rank') }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ outcome }}_value_ties
    window values_in_order as (order by outcome_value rows between unbounded preceding and current row)
),

{{ outcome }}_tie_terms as (
    -- Kruskal-Wallis' tie correction: t^3 - t summed over the distinct values, in doubles as
    -- ((t * t) * t) - t, the order ml/fairness_stats.py repeats to recognise a constant outcome
    select
        {%- for ranking in rankings %}
        {%- set ties = outcome_column(ranking, 'ties') %}
        sum({{ ties }}::double * {{ ties }}::double * {{ ties }}::double - {{ ties }}::double)
            as {{ outcome_column(ranking, 'tie_term') }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ outcome }}_value_ties
),

{{ outcome }}_group_sums as (
    select
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        count(*) as n,
        count(*) filter (where artist_outcome_flags.{{ outcome_column(outcome, 'is_high_success') }}) as high_success_n,
        {%- for ranking in rankings %}
        -- half-integers: exact in a double below 2^53
        sum(value_ranks.{{ outcome_column(ranking, 'rank') }})::double
            as {{ outcome_column(ranking, 'rank_sum') }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from artist_outcome_flags
    inner join {{ outcome }}_value_ranks as value_ranks
        on artist_outcome_flags.{{ adapter.quote(outcome) }}::double = value_ranks.outcome_value
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes) }}  -- noqa: PRS
),
{%- endfor %}

pair_rank_sums as (
    {%- for outcome, attribute in var('fairness_outcome_attribute_pairs') %}
    {%- set ranking = attribute if attribute in nullable else 'all' %}
    select
        {{ sql_literal(outcome) }} as outcome,
        group_sums.attribute,
        group_sums.group_value,
        group_sums.n,
        group_sums.high_success_n,
        group_sums.{{ outcome_column(ranking, 'rank_sum') }} as rank_sum,
        tie_terms.{{ outcome_column(ranking, 'tie_term') }} as tie_term
    from {{ outcome }}_group_sums as group_sums
    cross join {{ outcome }}_tie_terms as tie_terms
    -- the tests leave out artists without a group: they are not ranked either
    where group_sums.attribute = {{ sql_literal(attribute) }} and group_sums.group_value is not null
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

group_rank_sums as (
    select
        pair_rank_sums.outcome,
        pair_rank_sums.attribute,
        pair_rank_sums.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        pair_rank_sums.n,
        pair_rank_sums.high_success_n,
        pair_rank_sums.rank_sum,
        pair_rank_sums.tie_term
    from pair_rank_sums
    {{ join_undisclosed_flag('pair_rank_sums') }}
)

select * from group_rank_sums
order by outcome, attribute, group_value
