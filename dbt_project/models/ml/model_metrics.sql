with fits as (
    select
        feature_set, model_name, model_order, scaled_features, converged, n_train, n_test,
        rmse, mae, r2, cv_r2_mean, cv_r2_std, cv_scores
    from {{ ref('model_fits') }}
    where status = 'trained'
),

ranked as (
    select
        fits.*,
        -- the notebook's results_df['R²'].idxmax(): highest test R2, the first model on ties
        row_number() over (partition by feature_set order by r2 desc nulls last, model_order) as notebook_rank,
        row_number() over (partition by feature_set order by cv_r2_mean desc nulls last, model_order) as cv_rank
    from fits
),

model_metrics as (
    select
        feature_set,
        model_name,
        scaled_features,
        converged,
        n_train,
        n_test,
        rmse,
        mae,
        r2,
        r2 is null as r2_undefined,
        cv_r2_mean,
        cv_r2_std,
        cv_r2_mean is null as cv_r2_undefined,
        list_transform(cv_scores, lambda score: score.r2) as cv_r2_scores,
        notebook_rank = 1 and r2 is not null as best_by_notebook,
        cv_rank = 1 and cv_r2_mean is not null as best_by_cv
    from ranked
)

select * from model_metrics
