{#- One row per trained model x feature set x CV fold: the fold R2s behind model_metrics'
    cv_r2_mean and cv_r2_std, as rows so that BI tools read them as plain columns. -#}

with fits as (
    select feature_set, model_name, cv_scores from {{ ref('model_fits') }}
    where status = 'trained'
),

fold_scores as (
    -- one column per field of the nested struct, so no single alias applies
    select feature_set, model_name, unnest(cv_scores, recursive := true) from fits  -- noqa: AL03
),

model_cv_scores as (
    select
        feature_set,
        model_name,
        fold as cv_fold,
        n_rows as held_out_rows,
        r2 as cv_r2,
        r2 is null as cv_r2_undefined
    from fold_scores
)

select * from model_cv_scores
