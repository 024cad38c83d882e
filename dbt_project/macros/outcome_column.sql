{#- The quoted name of one measure of one outcome in a wide row:
    outcome_column('monthly_listeners', 'threshold') -> "monthly_listeners__threshold".

    Why the names are built: the fairness models compute every outcome of var outcomes side by
    side in one pass over the artists (int_artist_outcome_flags has one row per artist, the group
    CTEs one row per group, with a column per outcome x measure) instead of one pass per outcome,
    and the long tables (one row per outcome) then pick each outcome's columns by these names.
    The outcomes come from a var, so the names cannot be written out in the SQL.

    Why `__`: outcomes, attributes and the features are column names of features.artist_features
    with single underscores, so "<outcome>__<measure>" never collides with one of them
    (monthly_listeners__mean is not ml.cluster_profiles' monthly_listeners_mean). Quoted, as an
    outcome is whatever name the var holds.

    The measures: threshold, is_high_success (int_artist_outcome_flags), high_success_n, mean,
    median (group_outcomes). group_rank_sums names its per-ranking columns by the same rule, with
    the ranking ('all' or an attribute) in place of the outcome: ties, rank, tie_term, rank_sum. -#}
{% macro outcome_column(outcome, suffix) -%}
    {{ adapter.quote(outcome ~ '__' ~ suffix) }}
{%- endmacro %}
