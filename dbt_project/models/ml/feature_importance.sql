with fits as (
    select feature_set, model_name, importances from {{ ref('model_fits') }}
    where status = 'trained'
),

importance_rows as (
    select feature_set, model_name, unnest(importances) as importance from fits
),

importances as (
    select
        feature_set,
        model_name,
        importance.feature as feature,
        importance.method as method,
        importance.importance as importance
    from importance_rows
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
