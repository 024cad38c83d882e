{#- One row per feature set x test-split artist: the predictions of the notebook's best model of
    the feature set, with the artist's gender and ethnicity. -#}
{{ config(materialized='view') }}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

predictions as (
    select feature_set, model_name, artist_id, split, actual, predicted, error, pct_error
    from {{ ref('model_predictions') }}
),

artists as (
    select artist_id, gender, ethnicity from {{ ref('artist_features') }}
),

best_model_test_predictions as (
    select
        predictions.feature_set,
        predictions.model_name,
        predictions.artist_id,
        predictions.actual,
        predictions.predicted,
        predictions.error,
        predictions.pct_error,
        artists.gender,
        artists.ethnicity
    from predictions
    inner join best_models on predictions.feature_set = best_models.feature_set and predictions.model_name = best_models.model_name
    inner join artists on predictions.artist_id = artists.artist_id
    where predictions.split = 'test'
)

select * from best_model_test_predictions
