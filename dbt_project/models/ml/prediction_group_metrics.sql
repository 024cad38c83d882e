{#- One row per model x feature set x protected attribute x group, over the test split: Fairlearn's
    MetricFrame.by_group of the regression metrics, and of the classification metrics once the
    prediction picks "high-success" artists (predicted >= the target's high-success threshold).
    One pass: the test rows with their artists' attributes (int_test_prediction_attributes), one
    grouping set per model x attribute. -#}
{%- set attributes = var('fairness_attributes') -%}

with test_prediction_attributes as (
    select
        feature_set,
        model_name,
        actual,
        predicted,
        error,
        abs_error,
        threshold,
        is_positive,
        is_selected,
        {{ fairness_attribute_names(attributes) }}
    from {{ ref('int_test_prediction_attributes') }}
),

reference_groups as (
    -- the attribute's reference group for the model's target (fairness.group_outcomes: never an
    -- undisclosed group); none when the target is not among var outcomes
    select attribute, group_value as reference_group
    from {{ ref('group_outcomes') }}
    where outcome = {{ sql_literal(var('model_target')) }} and is_reference_group
),

group_sums as (
    select
        feature_set,
        model_name,
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        any_value(threshold) as threshold,
        count(*) as n,
        avg(actual) as mean_actual,
        avg(predicted) as mean_prediction,
        avg(error) as mean_error,
        stddev_samp(error) as error_std,
        avg(error * error) as mean_squared_error,
        avg(abs_error) as mae,
        stddev_samp(abs_error) as abs_error_std,
        var_pop(actual::double) as actual_variance,
        min(actual) = max(actual) as actual_constant,
        count(*) filter (where error > 0) as under_predicted_n,
        count(*) filter (where error < 0) as over_predicted_n,
        count(*) filter (where is_positive) as positive_n,
        count(*) filter (where is_selected) as selected_n,
        count(*) filter (where is_positive and is_selected) as true_positive_n,
        count(*) filter (where not is_positive and is_selected) as false_positive_n
    from test_prediction_attributes
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes, ['feature_set', 'model_name']) }}  -- noqa: PRS
),

group_rates as (
    select
        group_sums.*,
        {{ undisclosed_flag() }} as is_undisclosed,
        group_sums.n - group_sums.positive_n as negative_n,
        group_sums.positive_n - group_sums.true_positive_n as false_negative_n,
        group_sums.threshold is null as threshold_undefined,
        group_sums.threshold is null or group_sums.positive_n = 0 as positive_rates_undefined,
        group_sums.threshold is null or group_sums.positive_n = group_sums.n as negative_rates_undefined,
        group_sums.threshold is null or group_sums.selected_n = 0 as precision_undefined,
        group_sums.threshold is null or group_sums.selected_n = group_sums.n as omission_rates_undefined
    from group_sums
    {{ join_undisclosed_flag('group_sums') }}
),

group_counts as (
    select
        *,
        negative_n - false_positive_n as true_negative_n,
        n - selected_n as rejected_n,
        case when not positive_rates_undefined then true_positive_n::double / positive_n end as true_positive_rate,
        case when not negative_rates_undefined then false_positive_n::double / negative_n end as false_positive_rate
    from group_rates
),

reference_rates as (
    -- AIF360's average odds compare a group with the reference group ("privileged") on the two
    -- groups' test rows: only the reference's own rates enter, as a column beside every group
    select
        group_counts.*,
        reference_groups.reference_group,
        reference.true_positive_rate as reference_true_positive_rate,
        reference.false_positive_rate as reference_false_positive_rate
    from group_counts
    left join reference_groups
        on group_counts.attribute = reference_groups.attribute
        and group_counts.group_value is not null
    left join group_counts as reference
        on group_counts.feature_set = reference.feature_set
        and group_counts.model_name = reference.model_name
        and reference_groups.attribute = reference.attribute
        and reference_groups.reference_group = reference.group_value
),

odds_gaps as (
    select
        *,
        false_positive_rate - reference_false_positive_rate as false_positive_rate_gap,
        true_positive_rate - reference_true_positive_rate as true_positive_rate_gap
    from reference_rates
),

prediction_group_metrics as (
    select
        feature_set,
        model_name,
        attribute,
        group_value,
        is_undisclosed,
        n,
        mean_actual,
        mean_prediction,
        mean_error,
        {{ normal_mean_bound('mean_error', 'error_std', 'n', '-') }} as mean_error_ci_low,
        {{ normal_mean_bound('mean_error', 'error_std', 'n', '+') }} as mean_error_ci_high,
        n < 2 as error_intervals_undefined,
        sqrt(mean_squared_error) as rmse,
        mae,
        {{ normal_mean_bound('mae', 'abs_error_std', 'n', '-') }} as mae_ci_low,
        {{ normal_mean_bound('mae', 'abs_error_std', 'n', '+') }} as mae_ci_high,
        -- sklearn's r2_score: 1 - SS_res / SS_tot, the same ratio as mse / population variance
        case when not actual_constant then 1 - mean_squared_error / actual_variance end as r2,
        actual_constant as r2_undefined,
        under_predicted_n::double / n as share_under_predicted,
        over_predicted_n::double / n as share_over_predicted,
        threshold,
        threshold_undefined,
        case when not threshold_undefined then positive_n end as positive_n,
        case when not threshold_undefined then selected_n end as selected_n,
        case when not threshold_undefined then selected_n::double / n end as selection_rate,
        -- the bound at 0 (or n) selected is exactly 0 (or 1); the formula leaves rounding there
        case
            when threshold_undefined then null
            when selected_n = 0 then 0
            else greatest(0, {{ fairness_wilson_bound('selected_n', 'n', '-') }})
        end as selection_rate_ci_low,
        case
            when threshold_undefined then null
            when selected_n = n then 1
            else least(1, {{ fairness_wilson_bound('selected_n', 'n', '+') }})
        end as selection_rate_ci_high,
        true_positive_rate,
        positive_rates_undefined as true_positive_rate_undefined,
        false_positive_rate,
        negative_rates_undefined as false_positive_rate_undefined,
        case when not positive_rates_undefined then false_negative_n::double / positive_n end as false_negative_rate,
        positive_rates_undefined as false_negative_rate_undefined,
        case when not precision_undefined then true_positive_n::double / selected_n end as precision,
        precision_undefined,
        case when not precision_undefined then false_positive_n::double / selected_n end as false_discovery_rate,
        precision_undefined as false_discovery_rate_undefined,
        case when not omission_rates_undefined then false_negative_n::double / rejected_n end as false_omission_rate,
        omission_rates_undefined as false_omission_rate_undefined,
        case when not omission_rates_undefined then true_negative_n::double / rejected_n end
            as negative_predictive_value,
        omission_rates_undefined as negative_predictive_value_undefined,
        case when not threshold_undefined then (true_positive_n + true_negative_n)::double / n end as accuracy,
        threshold_undefined as accuracy_undefined,
        reference_group,
        -- AIF360's signed average_odds_difference (group minus reference) and average_odds_error
        -- (the mean of the absolute gaps); null when any of the four rates is undefined
        (false_positive_rate_gap + true_positive_rate_gap) / 2 as average_odds_difference,
        (abs(false_positive_rate_gap) + abs(true_positive_rate_gap)) / 2 as average_odds_error,
        false_positive_rate_gap is null or true_positive_rate_gap is null as average_odds_undefined
    from odds_gaps
)

select * from prediction_group_metrics
order by feature_set, model_name, attribute, group_value
