{#- One row per cluster: the notebook's cluster_summary (feature means), its size and its centre
    in PCA space (pca.transform(kmeans.cluster_centers_)). -#}
{%- set features = var('cluster_features') -%}

with clusters as (
    select artist_id, cluster from {{ ref('artist_clusters') }}
),

artists as (
    select
        artist_id,
        {%- for feature in features %}
        {{ adapter.quote(feature) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('artist_features') }}
),

fits as (
    select centres from {{ ref('cluster_fit') }}
    where status = 'trained'
),

centres as (
    select unnest(centres, recursive := true) from fits
),

feature_means as (
    select
        clusters.cluster,
        count(*) as size,
        {%- for feature in features %}
        avg(artists.{{ adapter.quote(feature) }}) as {{ adapter.quote(feature ~ '_mean') }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from clusters
    inner join artists on clusters.artist_id = artists.artist_id
    group by clusters.cluster
),

cluster_profiles as (
    select
        feature_means.cluster,
        feature_means.size,
        feature_means.size / sum(feature_means.size) over () as share,
        {%- for feature in features %}
        feature_means.{{ adapter.quote(feature ~ '_mean') }},
        {%- endfor %}
        centres.pc1 as centre_pc1,
        centres.pc2 as centre_pc2
    from feature_means
    inner join centres on feature_means.cluster = centres.cluster
)

select * from cluster_profiles
