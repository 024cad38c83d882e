{#- One row per feature set x protected attribute x group: ml.prediction_group_metrics' group loss and
    mean signed error, with their intervals, for the notebook's best model of each feature set. -#}
{{ config(materialized='view') }}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

group_metrics as (
    select
        feature_set, model_name, attribute, group_value, n, mae, mae_ci_low, mae_ci_high,
        mean_error, mean_error_ci_low, mean_error_ci_high
    from {{ ref('prediction_group_metrics') }}
),

best_model_group_metrics as (
    select
        group_metrics.feature_set,
        group_metrics.model_name,
        group_metrics.attribute,
        group_metrics.group_value,
        group_metrics.n,
        group_metrics.mae,
        group_metrics.mae_ci_low,
        group_metrics.mae_ci_high,
        group_metrics.mean_error,
        group_metrics.mean_error_ci_low,
        group_metrics.mean_error_ci_high
    from group_metrics
    inner join best_models
        on group_metrics.feature_set = best_models.feature_set and group_metrics.model_name = best_models.model_name
)

select * from best_model_group_metrics
