{#- One row per feature set x protected attribute x group x decile bin of the prediction:
    ml.prediction_calibration_by_group for the notebook's best model of each feature set: the
    report's calibration curves. -#}
{{ config(materialized='view') }}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

calibration as (
    select
        feature_set, model_name, attribute, group_value, prediction_bin, n, mean_prediction, mean_actual, mean_error
    from {{ ref('prediction_calibration_by_group') }}
),

best_model_calibration as (
    select
        calibration.feature_set,
        calibration.model_name,
        calibration.attribute,
        calibration.group_value,
        calibration.prediction_bin,
        calibration.n,
        calibration.mean_prediction,
        calibration.mean_actual,
        calibration.mean_error
    from calibration
    inner join best_models
        on calibration.feature_set = best_models.feature_set and calibration.model_name = best_models.model_name
)

select * from best_model_calibration
