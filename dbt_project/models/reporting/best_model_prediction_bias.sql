{#- One row per feature set x protected attribute x group: ml.prediction_bias_by_group for the
    notebook's best model of each feature set (test split). -#}
{{ config(materialized='view') }}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

bias as (
    select
        feature_set, model_name, attribute, group_value, n, error_mean, error_std, abs_error_mean, pct_error_mean
    from {{ ref('prediction_bias_by_group') }}
),

best_model_bias as (
    select
        bias.feature_set,
        bias.model_name,
        bias.attribute,
        bias.group_value,
        bias.n,
        bias.error_mean,
        bias.error_std,
        bias.abs_error_mean,
        bias.pct_error_mean
    from bias
    inner join best_models on bias.feature_set = best_models.feature_set and bias.model_name = best_models.model_name
)

select * from best_model_bias
