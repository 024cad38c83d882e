{#- One row per feature set: the model the notebook calls best (highest R² on the test split,
    ml.model_metrics.best_by_notebook). Every best-model view of the report reads its choice here. -#}
{{ config(materialized='view') }}

with model_metrics as (
    select feature_set, model_name, r2, best_by_notebook from {{ ref('model_metrics') }}
),

best_models as (
    select
        feature_set,
        model_name,
        r2
    from model_metrics
    where best_by_notebook
)

select * from best_models
