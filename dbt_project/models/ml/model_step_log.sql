{#- One row per model step the build attempted: trained, or skipped with the reason (an input too
    small for the split, the CV folds or the clusters, or a constant target). -#}

with model_fits as (
    select
        feature_set, model_name, status, reason, n_rows, n_fit as fit_rows, n_cv as cv_rows, sampled
    from {{ ref('model_fits') }}
),

cluster_fit as (
    select k, status, reason, n_rows, fit_rows, sampled from {{ ref('cluster_fit') }}
),

cluster_elbow as (
    select k, status, reason, n_rows, fit_rows, sampled from {{ ref('cluster_elbow') }}
),

steps as (
    select
        'regression' as step, feature_set, model_name, null::bigint as k, status, reason, n_rows, fit_rows, cv_rows,
        sampled
    from model_fits
    union all
    select
        'clusters' as step, null as feature_set, 'KMeans + PCA' as model_name, k, status, reason, n_rows, fit_rows,
        null::bigint as cv_rows, sampled
    from cluster_fit
    union all
    select
        'elbow' as step, null as feature_set, 'KMeans' as model_name, k, status, reason, n_rows, fit_rows,
        null::bigint as cv_rows, sampled
    from cluster_elbow
),

model_step_log as (
    select
        step,
        feature_set,
        model_name,
        k,
        status,
        split_part(reason, ':', 1) as reason_code,
        reason,
        n_rows,
        fit_rows,
        cv_rows,
        sampled
    from steps
)

select * from model_step_log
