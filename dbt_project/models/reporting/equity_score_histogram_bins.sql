{#- One row per non-empty bin of the equity-score histogram: histogram_bins equal-width bins
    between the lowest and the highest score (every score in one bin when they are all equal). -#}
{{ config(materialized='table') }}

with scores as (
    select equity_score as value
    from {{ ref('artist_equity_scores') }}
    where equity_score is not null
),

limits as (
    select histogram_bins from {{ ref('report_drawing_limits') }}
),

bounds as (
    select min(value) as low, max(value) as high from scores
),

binned_scores as (
    select
        coalesce(
            least(
                floor((scores.value - bounds.low) / nullif(bounds.high - bounds.low, 0) * limits.histogram_bins)::integer,
                limits.histogram_bins - 1
            ),
            0
        ) as bin,
        bounds.low,
        bounds.high,
        limits.histogram_bins
    from scores
    cross join bounds
    cross join limits
),

bins as (
    select
        bin,
        count(*) as n,
        any_value(low + bin * (high - low) / histogram_bins) as bin_start,
        any_value(low + (bin + 1) * (high - low) / histogram_bins) as bin_end
    from binned_scores
    group by bin
),

equity_score_bins as (
    -- explicit types: a view's column types are stored with it, and DuckDB releases before and after
    -- 1.5 infer other integer widths for this arithmetic ("Contents of view were altered")
    select
        bin::bigint as bin,
        bin_start::double as bin_start,
        bin_end::double as bin_end,
        n::bigint as n
    from bins
)

select * from equity_score_bins
