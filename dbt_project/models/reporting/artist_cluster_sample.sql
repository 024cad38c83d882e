{#- One row per drawn artist of the PCA scatter plot: at most max_points_per_panel artists of
    ml.artist_clusters, chosen by the seeded order of the artist id (macro seeded_order). -#}
{{ config(materialized='table') }}

with artist_cluster_sample as (
    select
        clusters.artist_id,
        clusters.cluster,
        clusters.pc1,
        clusters.pc2,
        count(*) over () as panel_total
    from {{ ref('artist_clusters') }} as clusters
    cross join {{ ref('report_drawing_limits') }} as limits
    qualify row_number() over (order by {{ seeded_order('clusters.artist_id', 'limits.sample_seed') }}, clusters.artist_id)
        <= limits.max_points_per_panel
)

select * from artist_cluster_sample
