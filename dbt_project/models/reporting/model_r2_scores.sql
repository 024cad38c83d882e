{#- One row per feature set x model x R² metric: r2 (test split) and cv_r2_mean (5-fold, training
    split) of ml.model_metrics in long form, for the metrics chart. -#}
{{ config(materialized='view') }}

with metrics as (
    select feature_set, model_name, r2, cv_r2_mean from {{ ref('model_metrics') }}
),

long_metrics as (
    unpivot metrics on r2, cv_r2_mean into name metric value value
),

r2_scores as (
    select
        feature_set,
        model_name,
        metric,
        value
    from long_metrics
)

select * from r2_scores
