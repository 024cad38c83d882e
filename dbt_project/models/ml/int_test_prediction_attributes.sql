{#- One row per model x feature set x artist of the test split: the prediction and its errors, the
    high-success label and selection at the target's threshold, and the artist's protected
    attributes (as text). Ephemeral: inlined into the ml models that group it by model x attribute
    (one grouping set each) and into int_resampled_test_predictions. -#}
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

target_threshold as (
    -- one row: fairness_summary repeats the outcome's threshold on every attribute; null when the
    -- model's target is not among var outcomes
    select max(threshold) as threshold
    from {{ ref('fairness_summary') }}
    where outcome = {{ sql_literal(var('model_target')) }}
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
        target_threshold.threshold,
        test_predictions.actual >= target_threshold.threshold as is_positive,
        test_predictions.predicted >= target_threshold.threshold as is_selected,
        {{ fairness_attribute_names(attributes, 'artists') }}
    from test_predictions
    inner join artists on test_predictions.artist_id = artists.artist_id
    cross join target_threshold
)

select * from test_prediction_attributes
