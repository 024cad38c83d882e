with fits as (
    select k, artists from {{ ref('cluster_fit') }}
    where status = 'trained'
),

artist_rows as (
    select k, unnest(artists) as artist from fits
),

artist_clusters as (
    select
        artist.artist_id as artist_id,
        artist.cluster as cluster,
        k,
        artist.pc1 as pc1,
        artist.pc2 as pc2
    from artist_rows
)

select * from artist_clusters
