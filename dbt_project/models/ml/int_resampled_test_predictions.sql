{#- One row per model x feature set x test artist the gap bootstrap resamples: the re-scored test
    rows of ml_internal.fit_predictions (all of them, or the counterfactual flips' seeded sample of
    var counterfactual_max_rows), with the error, the high-success label and selection at
    ml.prediction_group_metrics' threshold, and the artist's protected attributes, an undisclosed
    group's as null: the intervals are on ml.prediction_fairness_summary's gaps, which compare the
    disclosed groups. A view: the Python model ml_internal.prediction_gap_intervals reads it once. -#}
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
        error,
        is_positive,
        is_selected,
        {{ fairness_attribute_names(attributes) }}
    from {{ ref('int_test_prediction_attributes') }}
),

undisclosed_groups as (
    select
        attribute,
        group_value
    from {{ ref('int_attribute_group_disclosure') }}
    where is_undisclosed
),

resampled_test_predictions as (
    select
        test_prediction_attributes.feature_set,
        test_prediction_attributes.model_name,
        test_prediction_attributes.artist_id,
        test_prediction_attributes.error,
        test_prediction_attributes.is_positive,
        test_prediction_attributes.is_selected,
        {%- for attribute in attributes %}
        case
            when test_prediction_attributes.{{ adapter.quote(attribute) }} in (
                select undisclosed_groups.group_value from undisclosed_groups
                where undisclosed_groups.attribute = {{ sql_literal(attribute) }}
            ) then null
            else test_prediction_attributes.{{ adapter.quote(attribute) }}
        end as {{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from test_prediction_attributes
    inner join rescored_rows
        on test_prediction_attributes.feature_set = rescored_rows.feature_set
        and test_prediction_attributes.model_name = rescored_rows.model_name
        and test_prediction_attributes.artist_id = rescored_rows.artist_id
)

select * from resampled_test_predictions
