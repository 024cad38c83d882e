with fits as (
    select k, artists from {{ ref('cluster_fit') }}
    where status = 'trained'
),

artists as (
    -- one column per field of the nested struct, so no single alias applies
    select k, unnest(artists, recursive := true) from fits  -- noqa: AL03
),

artist_clusters as (
    select
        artist_id,
        cluster,
        k,
        pc1,
        pc2
    from artists
)

select * from artist_clusters
