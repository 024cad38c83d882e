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

attribute_group_disclosure as (
    select * from {{ ref('int_attribute_group_disclosure') }}
),

cluster_composition as (
    select
        group_counts.cluster,
        group_counts.attribute,
        group_counts.group_value,
        coalesce(attribute_group_disclosure.is_undisclosed, false) as is_undisclosed,
        group_counts.n,
        group_counts.n / sum(group_counts.n) over (partition by group_counts.cluster, group_counts.attribute) as share
    from group_counts
    left join attribute_group_disclosure
        on group_counts.attribute = attribute_group_disclosure.attribute
        and group_counts.group_value = attribute_group_disclosure.group_value
)

select * from cluster_composition
