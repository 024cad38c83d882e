{#- One row per principal component of the standardized cluster features: explained variance
    ratio and the loading of each cluster feature (pca.components_). -#}
{%- set features = var('cluster_features') -%}

with fits as (
    select components from {{ ref('cluster_fit') }}
    where status = 'trained'
),

components as (
    select unnest(components, recursive := true) from fits
),

pca_components as (
    select
        component,
        explained_variance_ratio,
        {%- for feature in features %}
        map_from_entries(loadings)[{{ sql_literal(feature) }}] as {{ adapter.quote(feature ~ '_loading') }}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from components
)

select * from pca_components
