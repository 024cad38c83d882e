with fits as (
    select feature_set, model_name, predictions from {{ ref('model_fits') }}
    where status = 'trained'
),

prediction_rows as (
    select feature_set, model_name, unnest(predictions) as prediction from fits
),

model_predictions as (
    select
        feature_set,
        model_name,
        prediction.artist_id as artist_id,
        prediction.split as split,
        prediction.cv_fold as cv_fold,
        prediction.actual as actual,
        prediction.predicted as predicted,
        prediction.actual - prediction.predicted as error,
        abs(prediction.actual - prediction.predicted) as abs_error,
        -- the notebook divides by actual; an artist with 0 listeners has no percentage error
        (prediction.actual - prediction.predicted) / nullif(prediction.actual, 0) * 100 as pct_error,
        prediction.actual = 0 as pct_error_undefined,
        prediction.cv_predicted as cv_predicted,
        prediction.actual - prediction.cv_predicted as cv_error
    from prediction_rows
)

select * from model_predictions
