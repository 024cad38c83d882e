{#- One row per model x feature set x protected attribute x group: the notebook's error-by-group
    tables (test split), for every model and every attribute of vars protected_attributes and fairness_intersections. -#}

with test_predictions as (
    select feature_set, model_name, artist_id, error, abs_error, pct_error
    from {{ ref('model_predictions') }}
    where split = 'test'
),

artist_groups as (
    select artist_id, attribute, group_value from {{ ref('int_artist_attribute_groups') }}
),

prediction_bias_by_group as (
    select
        test_predictions.feature_set,
        test_predictions.model_name,
        artist_groups.attribute,
        artist_groups.group_value,
        count(*) as n,
        avg(test_predictions.error) as error_mean,
        -- pandas' std (ddof 1): undefined for a group of one
        stddev_samp(test_predictions.error) as error_std,
        count(*) < 2 as error_std_undefined,
        avg(test_predictions.abs_error) as abs_error_mean,
        avg(test_predictions.pct_error) as pct_error_mean,
        count(test_predictions.pct_error) as pct_error_n,
        count(test_predictions.pct_error) = 0 as pct_error_mean_undefined
    from test_predictions
    inner join artist_groups on test_predictions.artist_id = artist_groups.artist_id
    group by all
)

select * from prediction_bias_by_group
