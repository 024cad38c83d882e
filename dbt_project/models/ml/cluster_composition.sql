{#- One row per cluster x protected attribute x group: the notebook's demographic make-up of each
    cluster (value_counts), with the group's share of the cluster. -#}
{%- set attributes = var('protected_attributes') -%}

with clusters as (
    select artist_id, cluster from {{ ref('artist_clusters') }}
),

artists as (
    select
        artist_id,
        {%- for attribute in attributes %}
        {{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('artist_features') }}
),

artist_groups as (
    {%- for attribute in attributes %}
    select
        artist_id,
        {{ fairness_literal(attribute) }} as attribute,
        {{ adapter.quote(attribute) }}::varchar as group_value
    from artists
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
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
        cluster,
        attribute,
        group_value,
        n,
        n / sum(n) over (partition by cluster, attribute) as share
    from group_counts
)

select * from cluster_composition
