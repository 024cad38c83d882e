with fits as (
    select
        feature_set, model_name, model_order, scaled_features, converged, n_train, n_test, n_fit, n_cv, sampled,
        rmse, mae, r2, cv_r2_mean, cv_r2_std
    from {{ ref('model_fits') }}
    where status = 'trained'
),

ranked as (
    select
        fits.*,
        -- the notebook's results_df['R²'].idxmax(): highest test R2, the first model on ties
        row_number() over (
            partition by fits.feature_set order by fits.r2 desc nulls last, fits.model_order asc
        ) as notebook_rank,
        row_number() over (
            partition by fits.feature_set order by fits.cv_r2_mean desc nulls last, fits.model_order asc
        ) as cv_rank
    from fits
),

model_metrics as (
    select
        ranked.feature_set,
        ranked.model_name,
        ranked.scaled_features,
        ranked.converged,
        ranked.n_train,
        ranked.n_test,
        ranked.n_fit as fit_rows,
        ranked.n_cv as cv_rows,
        ranked.n_train + ranked.n_test as scored_rows,
        ranked.sampled,
        ranked.rmse,
        ranked.mae,
        ranked.r2,
        ranked.r2 is null as r2_undefined,
        ranked.cv_r2_mean,
        ranked.cv_r2_std,
        ranked.cv_r2_mean is null as cv_r2_undefined,
        ranked.notebook_rank = 1 and ranked.r2 is not null as best_by_notebook,
        ranked.cv_rank = 1 and ranked.cv_r2_mean is not null as best_by_cv
    from ranked
)

select * from model_metrics
