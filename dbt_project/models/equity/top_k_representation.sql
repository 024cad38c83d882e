{#- One row per k of var equity_top_k x protected attribute x group: how the first k artists of
    equity_rank compare with the population, and the infeasible index of Geyik et al. (KDD'19) over
    the prefixes 1..k of the ranking.

    A k beyond the number of artists is capped at it (effective_k, flag k_exceeds_artists). Cheap at
    any size: one pass over the artists counts the population of every group (grouping sets); the
    prefix counts need only the first max(k) artists of the ranking. -#}
{%- set attributes = var('fairness_attributes') -%}
{%- set top_k = var('equity_top_k') -%}
{%- set max_k = top_k | max -%}

with artists as (
    select
        artist_id,
        {{ fairness_attribute_columns(attributes) }}
    from {{ ref('artist_features') }}
),

list_lengths as (
    select requested.k
    from (
        values
        {%- for k in top_k %}
        ({{ k | int }}){% if not loop.last %},{% endif %}
        {%- endfor %}
    ) as requested (k)
),

population_counts as (
    select
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        count(*) as population_n
    from artists
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes) }}  -- noqa: PRS
),

population_shares as (
    -- every attribute's groups (the null group included) hold every artist once
    select
        attribute,
        group_value,
        population_n,
        sum(population_n) over (partition by attribute)::bigint as total_n,
        population_n::double / sum(population_n) over (partition by attribute) as population_share
    from population_counts
),

ranked_artists as (
    -- equity_rank is a row_number: the first max(k) ranks are max(k) artists, whatever the ties
    select
        artist_id,
        equity_rank
    from {{ ref('artist_equity_scores') }}
    where equity_rank <= {{ max_k | int }}
),

top_artists as (
    -- max(k) rows: the hash join's build side, probed by one scan of the artists
    select
        ranked_artists.equity_rank,
        {{ fairness_attribute_names(attributes, 'artists') }}
    from ranked_artists
    inner join artists on ranked_artists.artist_id = artists.artist_id
),

top_artist_groups as (
    -- one row per top artist x attribute (the two lists unnest side by side)
    select
        equity_rank,
        unnest([{% for attribute in attributes %}{{ sql_literal(attribute) }}{% if not loop.last %}, {% endif %}{% endfor %}])
            as attribute,
        unnest([{% for attribute in attributes %}{{ adapter.quote(attribute) }}{% if not loop.last %}, {% endif %}{% endfor %}])
            as group_value
    from top_artists
),

prefixes as (
    select range as prefix from range(1, {{ max_k | int }} + 1)
),

group_prefixes as (
    select
        population_shares.attribute,
        population_shares.group_value,
        population_shares.population_share,
        prefixes.prefix
    from population_shares
    cross join prefixes
    where prefixes.prefix <= population_shares.total_n
),

group_prefix_counts as (
    -- artists of the group among the first `prefix` of the ranking
    select
        group_prefixes.attribute,
        group_prefixes.group_value,
        group_prefixes.population_share,
        group_prefixes.prefix,
        count(top_artist_groups.equity_rank) over (
            partition by group_prefixes.attribute, group_prefixes.group_value
            order by group_prefixes.prefix
            rows between unbounded preceding and current row
        ) as prefix_n
    from group_prefixes
    left join top_artist_groups
        on group_prefixes.attribute = top_artist_groups.attribute
        and group_prefixes.group_value is not distinct from top_artist_groups.group_value
        and group_prefixes.prefix = top_artist_groups.equity_rank
),

prefix_feasibility as (
    -- Geyik et al.'s feasibility of a prefix: every group holds at least floor(share x prefix) of it
    select
        attribute,
        prefix,
        bool_or(prefix_n < floor(population_share * prefix)) as infeasible
    from group_prefix_counts
    group by attribute, prefix
),

capped_lengths as (
    select distinct
        list_lengths.k,
        least(list_lengths.k, population_shares.total_n) as effective_k,
        list_lengths.k > population_shares.total_n as k_exceeds_artists
    from list_lengths
    cross join population_shares
),

infeasible_indexes as (
    select
        capped_lengths.k,
        prefix_feasibility.attribute,
        count(*) filter (where prefix_feasibility.infeasible) as infeasible_index
    from capped_lengths
    inner join prefix_feasibility on capped_lengths.effective_k >= prefix_feasibility.prefix
    group by capped_lengths.k, prefix_feasibility.attribute
),

top_k_representation as (
    select
        capped_lengths.k,
        capped_lengths.effective_k,
        capped_lengths.k_exceeds_artists,
        population_shares.attribute,
        population_shares.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        population_shares.population_n,
        population_shares.population_share,
        group_prefix_counts.prefix_n as top_k_n,
        group_prefix_counts.prefix_n::double / capped_lengths.effective_k as top_k_share,
        (group_prefix_counts.prefix_n::double / capped_lengths.effective_k) / population_shares.population_share
            as representation_ratio,
        floor(population_shares.population_share * capped_lengths.effective_k)::bigint as expected_min_n,
        greatest(
            floor(population_shares.population_share * capped_lengths.effective_k)::bigint - group_prefix_counts.prefix_n,
            0
        ) as shortfall,
        infeasible_indexes.infeasible_index
    from capped_lengths
    cross join population_shares
    inner join group_prefix_counts
        on population_shares.attribute = group_prefix_counts.attribute
        and population_shares.group_value is not distinct from group_prefix_counts.group_value
        and capped_lengths.effective_k = group_prefix_counts.prefix
    inner join infeasible_indexes
        on capped_lengths.k = infeasible_indexes.k
        and population_shares.attribute = infeasible_indexes.attribute
    {{ join_undisclosed_flag('population_shares') }}
)

select * from top_k_representation
order by k, attribute, group_value
