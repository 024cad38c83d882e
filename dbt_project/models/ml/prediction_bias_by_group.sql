{#- One row per model x feature set x protected attribute x group: the notebook's error-by-group
    tables (test split), for every model and every attribute of vars protected_attributes and fairness_intersections.
    One pass, as prediction_group_metrics: the test rows with their artists' attributes, one grouping
    set per model x attribute (joined to one row per artist x attribute instead, the test rows
    became 180 million at 10 million artists, and the model took 35 s rather than 10). -#}
{%- set attributes = var('fairness_attributes') -%}

with grouped_predictions as (
    select
        feature_set,
        model_name,
        error,
        abs_error,
        pct_error,
        {{ fairness_attribute_names(attributes) }}
    from {{ ref('int_test_prediction_attributes') }}
),

group_errors as (
    select
        feature_set,
        model_name,
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        count(*) as n,
        avg(error) as error_mean,
        -- pandas' std (ddof 1): undefined for a group of one
        stddev_samp(error) as error_std,
        count(*) < 2 as error_std_undefined,
        avg(abs_error) as abs_error_mean,
        avg(pct_error) as pct_error_mean,
        count(pct_error) as pct_error_n,
        count(pct_error) = 0 as pct_error_mean_undefined
    from grouped_predictions
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes, ['feature_set', 'model_name']) }}  -- noqa: PRS
),

prediction_bias_by_group as (
    select
        group_errors.feature_set,
        group_errors.model_name,
        group_errors.attribute,
        group_errors.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        group_errors.n,
        group_errors.error_mean,
        group_errors.error_std,
        group_errors.error_std_undefined,
        group_errors.abs_error_mean,
        group_errors.pct_error_mean,
        group_errors.pct_error_n,
        group_errors.pct_error_mean_undefined
    from group_errors
    {{ join_undisclosed_flag('group_errors') }}
)

select * from prediction_bias_by_group
