{#- One row per feature set x feature: what the notebook plots for its best model, impurity
    importance for a tree model and |coefficient| for a linear one (ml.feature_importance also has
    permutation importance for every model). -#}
{{ config(materialized='view') }}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

importances as (
    select feature_set, model_name, feature, method, importance from {{ ref('feature_importance') }}
),

best_model_importances as (
    select
        importances.feature_set,
        importances.model_name,
        importances.method,
        importances.feature,
        importances.importance
    from importances
    inner join best_models on importances.feature_set = best_models.feature_set and importances.model_name = best_models.model_name
    where importances.method in ('impurity', 'abs_coef')
)

select * from best_model_importances
