{#- One row per model x feature set x artist of the test split: the prediction and its errors, and
    the artist's protected attributes (as text). Ephemeral: inlined into prediction_bias_by_group
    and prediction_group_metrics, which group it by model x attribute (one grouping set each). -#}
{{ config(materialized='ephemeral') }}
{%- set attributes = var('fairness_attributes') -%}

with test_predictions as (
    select feature_set, model_name, artist_id, actual, predicted, error, abs_error, pct_error
    from {{ ref('model_predictions') }}
    where split = 'test'
),

artists as (
    select
        artist_id,
        {{ fairness_attribute_columns(attributes) }}
    from {{ ref('artist_features') }}
),

test_prediction_attributes as (
    select
        test_predictions.feature_set,
        test_predictions.model_name,
        test_predictions.artist_id,
        test_predictions.actual,
        test_predictions.predicted,
        test_predictions.error,
        test_predictions.abs_error,
        test_predictions.pct_error,
        {%- for attribute in attributes %}
        artists.{{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from test_predictions
    inner join artists on test_predictions.artist_id = artists.artist_id
)

select * from test_prediction_attributes
