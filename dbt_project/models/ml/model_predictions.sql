with fits as (
    select feature_set, model_name, predictions from {{ ref('model_fits') }}
    where status = 'trained'
),

predictions as (
    -- one column per field of the nested struct, so no single alias applies
    select feature_set, model_name, unnest(predictions, recursive := true) from fits  -- noqa: AL03
),

model_predictions as (
    select
        feature_set,
        model_name,
        artist_id,
        split,
        cv_fold,
        actual,
        predicted,
        actual - predicted as error,
        abs(actual - predicted) as abs_error,
        -- the notebook divides by actual; an artist with 0 listeners has no percentage error
        (actual - predicted) / nullif(actual, 0) * 100 as pct_error,
        actual = 0 as pct_error_undefined,
        cv_predicted,
        actual - cv_predicted as cv_error
    from predictions
)

select * from model_predictions
