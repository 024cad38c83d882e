{#- One row per build x feature set x model: ml.model_metrics of every build the history keeps
    (audit.build_runs), this build's last. A build that trained no model adds no row. -#}
{%- set carried = history_carried_relation('model_metrics_history') -%}

with current_build as (
    select
        build_runs.build_id,
        build_runs.build_number
    from {{ ref('build_runs') }} as build_runs
    inner join {{ source('history_carried', 'current_build') }} as current_lineage
        on build_runs.build_id = current_lineage.build_id
),

current_rows as (
    select
        current_build.build_id,
        current_build.build_number,
        model_metrics.feature_set,
        model_metrics.model_name,
        model_metrics.n_train,
        model_metrics.n_test,
        model_metrics.fit_rows,
        model_metrics.sampled,
        model_metrics.converged,
        model_metrics.rmse,
        model_metrics.mae,
        model_metrics.r2,
        model_metrics.r2_undefined,
        model_metrics.cv_r2_mean,
        model_metrics.cv_r2_std,
        model_metrics.cv_r2_undefined,
        model_metrics.best_by_notebook,
        model_metrics.best_by_cv
    from {{ ref('model_metrics') }} as model_metrics
    cross join current_build
),

every_row as (
    {{ history_union(carried, 'current_rows') }}
)

select
    build_id,
    build_number,
    feature_set,
    model_name,
    n_train,
    n_test,
    fit_rows,
    sampled,
    converged,
    rmse,
    mae,
    r2,
    r2_undefined,
    cv_r2_mean,
    cv_r2_std,
    cv_r2_undefined,
    best_by_notebook,
    best_by_cv
from every_row
where build_id in (select kept_runs.build_id from {{ ref('build_runs') }} as kept_runs)
order by build_number, feature_set, model_name
