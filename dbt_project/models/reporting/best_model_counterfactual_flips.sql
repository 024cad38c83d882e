{#- One row per feature set x encoded attribute x ordered pair of groups: ml.counterfactual_flips
    for the notebook's best model of each feature set: the report's counterfactual chart. -#}
{{ config(materialized='view') }}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

flips as (
    select
        feature_set, model_name, attribute, group_value, counterfactual_group, n, mean_prediction, mean_change,
        mean_abs_change, relative_change, flip_up_rate, flip_down_rate
    from {{ ref('counterfactual_flips') }}
),

best_model_counterfactual_flips as (
    select
        flips.feature_set,
        flips.model_name,
        flips.attribute,
        flips.group_value,
        flips.counterfactual_group,
        flips.n,
        flips.mean_prediction,
        flips.mean_change,
        flips.mean_abs_change,
        flips.relative_change,
        flips.flip_up_rate,
        flips.flip_down_rate
    from flips
    inner join best_models
        on flips.feature_set = best_models.feature_set and flips.model_name = best_models.model_name
)

select * from best_model_counterfactual_flips
