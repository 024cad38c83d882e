{#- One row per feature set x drawn artist: the points of the actual-vs-predicted and residual
    scatter plots, at most max_points_per_panel test-split artists per feature set, chosen by a
    seeded order of the artist id (macro seeded_order; the same sample on every render). -#}
{{ config(materialized='table') }}

with test_predictions as (
    select feature_set, model_name, artist_id, actual, predicted, error, gender
    from {{ ref('best_model_test_predictions') }}
),

drawing_limits as (
    select max_points_per_panel, sample_seed from {{ ref('report_drawing_limits') }}
),

sampled_test_predictions as (
    select
        test_predictions.feature_set, test_predictions.model_name, test_predictions.artist_id,
        test_predictions.actual, test_predictions.predicted, test_predictions.error, test_predictions.gender,
        count(*) over (partition by test_predictions.feature_set) as panel_total
    from test_predictions
    cross join drawing_limits
    qualify row_number() over (
        partition by test_predictions.feature_set
        order by {{ seeded_order('test_predictions.artist_id', 'drawing_limits.sample_seed') }}, test_predictions.artist_id
    ) <= drawing_limits.max_points_per_panel
)

select * from sampled_test_predictions
