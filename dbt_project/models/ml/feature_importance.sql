with fits as (
    select feature_set, model_name, importances from {{ ref('model_fits') }}
    where status = 'trained'
),

importances as (
    -- one column per field of the nested struct, so no single alias applies
    select feature_set, model_name, unnest(importances, recursive := true) from fits  -- noqa: AL03
),

feature_importance as (
    select
        feature_set,
        model_name,
        feature,
        method,
        importance,
        rank() over (partition by feature_set, model_name, method order by importance desc) as rank
    from importances
)

select * from feature_importance
