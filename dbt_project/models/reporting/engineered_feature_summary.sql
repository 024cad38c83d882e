{#- One row per engineered ratio of features.artist_features: how many artists have it defined or
    null (a ratio over zero years) and its min, mean and max. -#}
{{ config(materialized='table') }}
{%- set engineered_features = ['listeners_per_year', 'streams_per_year', 'albums_per_year', 'awards_per_year',
                               'spotify_soundcloud_ratio', 'followers_to_listeners_ratio',
                               'streams_per_listener'] -%}

with features as (
    select {{ engineered_features | join(', ') }} from {{ ref('artist_features') }}
),

feature_values as (
    unpivot features on columns(*) into name feature value value
),

artists as (
    select count(*) as n from {{ ref('artist_features') }}
),

feature_positions as (
    select positions.feature, positions.feature_position
    from (
        values
        {%- for feature in engineered_features %}
        ({{ sql_literal(feature) }}, {{ loop.index }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as positions (feature, feature_position)
),

feature_summary as (
    select
        feature_values.feature,
        count(feature_values.value) as defined,
        any_value(artists.n) - count(feature_values.value) as undefined,
        min(feature_values.value) as min_value,
        avg(feature_values.value) as mean_value,
        max(feature_values.value) as max_value
    from feature_values
    cross join artists
    group by feature_values.feature
),

engineered_feature_summary as (
    select
        feature_summary.feature,
        feature_positions.feature_position,
        feature_summary.defined,
        feature_summary.undefined,
        feature_summary.min_value,
        feature_summary.mean_value,
        feature_summary.max_value
    from feature_summary
    inner join feature_positions on feature_summary.feature = feature_positions.feature
)

select * from engineered_feature_summary
