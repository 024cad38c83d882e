{#- One row per outcome x protected attribute x group: the counts and rank sums from which
    ml/fairness_stats.py computes the chi-square and Kruskal-Wallis tests, so that Python never
    reads one row per artist. -#}

with artist_outcomes as (
    select
        outcome,
        attribute,
        group_value,
        outcome_value,
        is_high_success
    from {{ ref('artist_attribute_outcomes') }}
    -- the tests leave out artists without a group: they are not ranked either
    where group_value is not null
),

value_ties as (
    select
        outcome,
        attribute,
        outcome_value,
        count(*) as tie_count
    from artist_outcomes
    group by outcome, attribute, outcome_value
),

value_ranks as (
    -- scipy's rankdata(method='average'): 1-based, tied values share the mean of their ranks, i.e.
    -- the last rank of the tie (artists up to and including the value) - (tie_count - 1) / 2.
    -- Ranking the distinct values rather than the artists sorts far fewer rows.
    select
        outcome,
        attribute,
        outcome_value,
        sum(tie_count) over (
            partition by outcome, attribute order by outcome_value rows between unbounded preceding and current row
        ) - (tie_count - 1) / 2 as average_rank
    from value_ties
),

tie_terms as (
    select
        outcome,
        attribute,
        -- Kruskal-Wallis' tie correction: t^3 - t summed over the distinct values, in doubles as
        -- ((t * t) * t) - t, the order ml/fairness_stats.py repeats to recognise a constant outcome
        sum(tie_count::double * tie_count::double * tie_count::double - tie_count::double) as tie_term
    from value_ties
    group by outcome, attribute
),

group_sums as (
    select
        artist_outcomes.outcome,
        artist_outcomes.attribute,
        artist_outcomes.group_value,
        count(*) as n,
        count(*) filter (where artist_outcomes.is_high_success) as high_success_n,
        -- half-integers: exact in a double below 2^53
        sum(value_ranks.average_rank)::double as rank_sum
    from artist_outcomes
    inner join value_ranks
        on
            artist_outcomes.outcome = value_ranks.outcome
            and artist_outcomes.attribute = value_ranks.attribute
            and artist_outcomes.outcome_value = value_ranks.outcome_value
    group by artist_outcomes.outcome, artist_outcomes.attribute, artist_outcomes.group_value
),

group_rank_sums as (
    select
        group_sums.outcome,
        group_sums.attribute,
        group_sums.group_value,
        group_sums.n,
        group_sums.high_success_n,
        group_sums.rank_sum,
        tie_terms.tie_term
    from group_sums
    inner join tie_terms
        on group_sums.outcome = tie_terms.outcome and group_sums.attribute = tie_terms.attribute
    order by group_sums.outcome, group_sums.attribute, group_sums.group_value
)

select * from group_rank_sums
