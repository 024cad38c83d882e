{#- One row per model x feature set x protected attribute x group x decile of the prediction: the
    test rows binned by deciles of the prediction over the whole test split (pandas' qcut(q=10,
    duplicates='drop'): the quantiles linearly interpolated, bins closed on the right, the first
    holding the smallest prediction), then split by group. Within a bin every group has about the
    same predicted level, so a mean_error that differs between groups is a calibration gap. -#}
{%- set attributes = var('fairness_attributes') -%}

with test_prediction_attributes as (
    select
        feature_set,
        model_name,
        actual,
        predicted,
        error,
        {{ fairness_attribute_names(attributes) }}
    from {{ ref('int_test_prediction_attributes') }}
),

decile_edges as (
    -- qcut drops a repeated edge (a model that predicts one value for many artists)
    select
        feature_set,
        model_name,
        list_sort(list_distinct(quantile_cont(predicted, [
            {%- for decile in range(11) %}{{ decile / 10 }}{{ ", " if not loop.last }}{% endfor -%}
        ]))) as edges
    from test_prediction_attributes
    group by feature_set, model_name
),

binned_predictions as (
    -- bin k lies in (edges[k], edges[k + 1]], the first holding edges[1] too (qcut's include_lowest);
    -- a case per bin, not a range join: a join would pair every test row with every bin
    select
        test_prediction_attributes.*,
        case
            {%- for bin in range(1, 11) %}
            when test_prediction_attributes.predicted <= decile_edges.edges[{{ bin + 1 }}] then {{ bin }}
            {%- endfor %}
            -- a split of one predicted value has one edge: one bin [v, v]
            else 1
        end::bigint as prediction_bin
    from test_prediction_attributes
    inner join decile_edges
        on test_prediction_attributes.feature_set = decile_edges.feature_set
        and test_prediction_attributes.model_name = decile_edges.model_name
),

group_bins as (
    select
        feature_set,
        model_name,
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        prediction_bin,
        count(*) as n,
        avg(predicted) as mean_prediction,
        avg(actual) as mean_actual,
        avg(error) as mean_error
    from binned_predictions
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes, ['feature_set', 'model_name', 'prediction_bin']) }}  -- noqa: PRS
),

prediction_calibration_by_group as (
    select
        group_bins.feature_set,
        group_bins.model_name,
        group_bins.attribute,
        group_bins.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        group_bins.prediction_bin,
        decile_edges.edges[group_bins.prediction_bin] as bin_low,
        decile_edges.edges[least(group_bins.prediction_bin + 1, len(decile_edges.edges))] as bin_high,
        group_bins.n,
        group_bins.mean_prediction,
        group_bins.mean_actual,
        group_bins.mean_error
    from group_bins
    inner join decile_edges
        on group_bins.feature_set = decile_edges.feature_set and group_bins.model_name = decile_edges.model_name
    {{ join_undisclosed_flag('group_bins') }}
    -- MetricFrame and pandas' groupby leave out the artists without a group
    where group_bins.group_value is not null
)

select * from prediction_calibration_by_group
order by feature_set, model_name, attribute, group_value, prediction_bin
