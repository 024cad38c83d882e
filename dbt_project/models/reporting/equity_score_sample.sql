{#- One row per drawn artist of the quality-vs-visibility scatter plot: at most
    max_points_per_panel artists, chosen by the seeded order of the artist id (macro seeded_order). -#}
{{ config(materialized='table') }}

with scores as (
    select artist_id, artist_name, quality_score, visibility_score, equity_score
    from {{ ref('artist_equity_scores') }}
),

sampled_scores as (
    select
        scores.artist_id, scores.artist_name, scores.quality_score, scores.visibility_score, scores.equity_score,
        count(*) over () as panel_total
    from scores
    cross join {{ ref('report_drawing_limits') }} as limits
    qualify row_number() over (order by {{ seeded_order('scores.artist_id', 'limits.sample_seed') }}, scores.artist_id)
        <= limits.max_points_per_panel
)

select * from sampled_scores
