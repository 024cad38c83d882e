with raw_rows as (
    select source_file, count(*) as rows_read
    from {{ source('raw', 'artists') }}
    group by source_file
),

loaded_artists as (
    select source_file, count(*) as artists_loaded
    from {{ ref('stg_artists') }}
    group by source_file
),

-- counted over the artists only: a quarantined row's values group nothing
normalized_values as (
    select source_file, sum(categorical_values_normalized)::bigint as categorical_values_normalized
    from {{ ref('int_artist_rows_validated') }}
    where reason_code is null
    group by source_file
),

quarantined_rows as (
    select source_file, count(*) as rows_quarantined
    from {{ ref('quarantined_artists') }}
    group by source_file
),

reconciliation as (
    select
        raw_rows.source_file,
        raw_rows.rows_read,
        coalesce(loaded_artists.artists_loaded, 0) as artists_loaded,
        coalesce(quarantined_rows.rows_quarantined, 0) as rows_quarantined,
        raw_rows.rows_read
            = coalesce(loaded_artists.artists_loaded, 0) + coalesce(quarantined_rows.rows_quarantined, 0)
            as is_balanced,
        coalesce(normalized_values.categorical_values_normalized, 0) as categorical_values_normalized,
        -- UTC without a time zone: DuckDB's Python client needs pytz (which pandas 3 no longer
        -- brings) to return a timestamp with one, so a BI host's SQLAlchemy + pandas failed on it
        current_timestamp at time zone 'UTC' as reconciled_at_utc
    from raw_rows
    left join loaded_artists on raw_rows.source_file = loaded_artists.source_file
    left join quarantined_rows on raw_rows.source_file = quarantined_rows.source_file
    left join normalized_values on raw_rows.source_file = normalized_values.source_file
)

select * from reconciliation
