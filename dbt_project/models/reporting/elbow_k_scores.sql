{#- One row per k of the elbow that was trained: KMeans inertia and silhouette, and chosen_k, the
    k of ml.artist_clusters (var kmeans_k; null when the clusters fit was skipped). -#}
{{ config(materialized='table') }}

with elbow as (
    select k, status, inertia, silhouette from {{ ref('cluster_elbow') }}
),

clusters as (
    select max(k) as chosen_k from {{ ref('artist_clusters') }}
),

trained_k_scores as (
    select
        elbow.k,
        elbow.inertia,
        elbow.silhouette,
        clusters.chosen_k
    from elbow
    cross join clusters
    where elbow.status = 'trained'
)

select * from trained_k_scores
