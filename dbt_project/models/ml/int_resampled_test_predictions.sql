{#- One row per model x feature set x test artist the gap bootstrap resamples: the re-scored test
    rows of ml_internal.fit_predictions (all of them, or the counterfactual flips' seeded sample of
    var counterfactual_max_rows), with the error, the high-success label and selection at
    ml.prediction_group_metrics' threshold, and the artist's protected attributes. A view: the
    Python model ml_internal.prediction_gap_intervals reads it once. -#}
{{ config(materialized='view') }}
{%- set fits = ref('model_fits') -%}
{%- set attributes = var('fairness_attributes') -%}

with rescored_rows as (
    select
        feature_set::varchar as feature_set,
        model_name::varchar as model_name,
        artist_id
    from {{ adapter.quote(fits.schema) }}.fit_predictions
    where rescored
),

test_prediction_attributes as (
    select
        feature_set,
        model_name,
        artist_id,
        actual,
        predicted,
        error,
        {%- for attribute in attributes %}
        {{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('int_test_prediction_attributes') }}
),

target_threshold as (
    -- the threshold of ml.prediction_group_metrics; null when the target is not among var outcomes
    select max(threshold) as threshold
    from {{ ref('fairness_summary') }}
    where outcome = {{ sql_literal(var('model_target')) }}
),

resampled_test_predictions as (
    select
        test_prediction_attributes.feature_set,
        test_prediction_attributes.model_name,
        test_prediction_attributes.artist_id,
        test_prediction_attributes.error,
        test_prediction_attributes.actual >= target_threshold.threshold as is_positive,
        test_prediction_attributes.predicted >= target_threshold.threshold as is_selected,
        {%- for attribute in attributes %}
        test_prediction_attributes.{{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from test_prediction_attributes
    inner join rescored_rows
        on test_prediction_attributes.feature_set = rescored_rows.feature_set
        and test_prediction_attributes.model_name = rescored_rows.model_name
        and test_prediction_attributes.artist_id = rescored_rows.artist_id
    cross join target_threshold
)

select * from resampled_test_predictions
