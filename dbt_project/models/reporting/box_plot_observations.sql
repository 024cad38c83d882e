{#- One row per box-plot measure x attribute (gender, ethnicity) x observation: what the report's
    box plots summarise. pct_error: the test-split percentage errors of the notebook's best model,
    one panel per feature set; equity_score: every artist's score, one panel. -#}
{{ config(materialized='view') }}

with test_predictions as (
    select feature_set, model_name, gender, ethnicity, pct_error
    from {{ ref('best_model_test_predictions') }}
),

equity_scores as (
    select gender, ethnicity, equity_score from {{ ref('artist_equity_scores') }}
),

observations as (
    select
        'pct_error' as measure,
        feature_set || ': ' || model_name as panel,
        gender,
        ethnicity,
        pct_error as value
    from test_predictions
    union all
    select
        'equity_score' as measure,
        'all artists' as panel,
        gender,
        ethnicity,
        equity_score as value
    from equity_scores
),

-- an artist without a value of the attribute is in no box
observations_by_attribute as (
    unpivot observations on gender, ethnicity into name attribute value group_value
),

box_observations as (
    select
        measure,
        attribute,
        panel,
        group_value,
        value
    from observations_by_attribute
)

select * from box_observations
