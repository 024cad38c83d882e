{#- One row per cluster x protected attribute x group: the notebook's demographic make-up of each
    cluster (value_counts), with the group's share of the cluster. -#}

with clusters as (
    select artist_id, cluster from {{ ref('artist_clusters') }}
),

artist_groups as (
    select artist_id, attribute, group_value from {{ ref('int_artist_attribute_groups') }}
),

group_counts as (
    select
        clusters.cluster,
        artist_groups.attribute,
        artist_groups.group_value,
        count(*) as n
    from clusters
    inner join artist_groups on clusters.artist_id = artist_groups.artist_id
    group by all
),

cluster_composition as (
    select
        group_counts.cluster,
        group_counts.attribute,
        group_counts.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        group_counts.n,
        group_counts.n / sum(group_counts.n) over (partition by group_counts.cluster, group_counts.attribute) as share
    from group_counts
    {{ join_undisclosed_flag('group_counts') }}
)

select * from cluster_composition
