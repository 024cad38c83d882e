{#- One row per artist the gap models fit (fairness.adjusted_gap_fits, fairness.gap_decomposition_terms):
    the attributes, the controls of var gap_controls, the outcomes and their high-success flags (the
    threshold over every artist), and artist_n, the artists before sampling. Above var gap_max_rows
    artists, the first gap_max_rows in the seeded order of the artist id (macro seeded_order, seed
    var random_state): the regressions need a sample, not 10 million rows. -#}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}
{%- set controls = [] -%}
{%- for control in var('gap_controls') if control not in attributes -%}
    {%- do controls.append(control) -%}
{%- endfor -%}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),

artist_controls as (
    select
        {%- for control in controls %}
        {{ adapter.quote(control) }},
        {%- endfor %}
        artist_id
    from {{ ref('artist_features') }}
),

artist_counts as (
    select count(*) as artist_n
    from artist_outcome_flags
),

sampled_artists as (
    select *
    from artist_outcome_flags
    order by {{ seeded_order('artist_id', var('random_state')) }}, artist_id
    limit {{ var('gap_max_rows') | int }}
),

int_gap_fit_artists as (
    select
        sampled_artists.artist_id,
        {%- for attribute in attributes %}
        sampled_artists.{{ adapter.quote(attribute) }},
        {%- endfor %}
        {%- for control in controls %}
        artist_controls.{{ adapter.quote(control) }},
        {%- endfor %}
        {%- for outcome in outcomes %}
        sampled_artists.{{ adapter.quote(outcome) }},
        sampled_artists.{{ outcome_column(outcome, 'is_high_success') }},
        {%- endfor %}
        artist_counts.artist_n
    from sampled_artists
    inner join artist_controls on sampled_artists.artist_id = artist_controls.artist_id
    cross join artist_counts
    order by sampled_artists.artist_id
)

select * from int_gap_fit_artists
