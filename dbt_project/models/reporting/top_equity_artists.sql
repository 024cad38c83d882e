{#- One row per artist of the top top_equity_artists by equity_rank (ties by artist id): the
    notebook's list for equitable promotion, with the artist's genre and country. -#}
{{ config(materialized='table') }}

with scores as (
    select
        artist_id, artist_name, gender, ethnicity, label_type, monthly_listeners,
        quality_score, visibility_score, equity_score, equity_rank
    from {{ ref('artist_equity_scores') }}
),

artists as (
    select artist_id, genre, country from {{ ref('artist_features') }}
),

limits as (
    select top_equity_artists from {{ ref('report_drawing_limits') }}
),

ranked_scores as (
    select
        scores.equity_rank,
        scores.artist_id,
        scores.artist_name,
        scores.gender,
        scores.ethnicity,
        artists.genre,
        artists.country,
        scores.label_type,
        scores.monthly_listeners,
        scores.quality_score,
        scores.visibility_score,
        scores.equity_score,
        row_number() over (order by scores.equity_rank, scores.artist_id) as list_position,
        limits.top_equity_artists
    from scores
    inner join artists on scores.artist_id = artists.artist_id
    cross join limits
),

top_equity_artists as (
    select
        list_position,
        equity_rank,
        artist_id,
        artist_name,
        gender,
        ethnicity,
        genre,
        country,
        label_type,
        monthly_listeners,
        quality_score,
        visibility_score,
        equity_score
    from ranked_scores
    where list_position <= top_equity_artists
)

select * from top_equity_artists
