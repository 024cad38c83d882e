{#- One row per build x feature set x model: ml.model_metrics of every build the history keeps
    (audit.build_runs), this build's last. A build that trained no model adds no row. -#}
with model_metrics_by_build as (
    {{ history_snapshot(
        'model_metrics_history', 'model_metrics',
        columns=[
            'feature_set', 'model_name', 'n_train', 'n_test', 'fit_rows', 'cv_rows', 'sampled', 'converged',
            'rmse', 'mae', 'r2', 'r2_undefined', 'cv_r2_mean', 'cv_r2_std', 'cv_r2_undefined',
            'best_by_notebook', 'best_by_cv'
        ],
        order_by=['feature_set', 'model_name']
    ) }}
)

select * from model_metrics_by_build
order by build_number, feature_set, model_name
