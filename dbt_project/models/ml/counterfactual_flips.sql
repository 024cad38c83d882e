{#- One row per model x feature set x encoded attribute x group x counterfactual group: the test
    artists of the group re-scored with only the attribute's input set to the other group's code
    (ml/counterfactual.py, written by ml_internal.model_fits while it trains), averaged here with
    the share whose high-success call flips at ml.prediction_group_metrics' threshold. -#}
{%- set fits = ref('model_fits') -%}

with counterfactual_predictions as (
    select
        -- ENUMs there (ml/fit_store.py), text here
        feature_set::varchar as feature_set,
        model_name::varchar as model_name,
        attribute,
        code,
        counterfactual_code,
        sampled,
        predicted,
        counterfactual_predicted
    from {{ adapter.quote(fits.schema) }}.counterfactual_predictions
),

encodings as (
    select attribute, value, code from {{ ref('label_encodings') }}
),

target_threshold as (
    -- the threshold of ml.prediction_group_metrics: the target's high-success threshold, null
    -- when the model's target is not among var outcomes
    select max(threshold) as threshold
    from {{ ref('fairness_summary') }}
    where outcome = {{ sql_literal(var('model_target')) }}
),

pair_sums as (
    select
        counterfactual_predictions.feature_set,
        counterfactual_predictions.model_name,
        counterfactual_predictions.attribute,
        counterfactual_predictions.code,
        counterfactual_predictions.counterfactual_code,
        any_value(target_threshold.threshold) as threshold,
        bool_or(counterfactual_predictions.sampled) as sampled,
        count(*) as n,
        avg(counterfactual_predictions.predicted) as mean_prediction,
        avg(counterfactual_predictions.counterfactual_predicted) as mean_counterfactual_prediction,
        avg(counterfactual_predictions.counterfactual_predicted - counterfactual_predictions.predicted) as mean_change,
        avg(abs(counterfactual_predictions.counterfactual_predicted - counterfactual_predictions.predicted))
            as mean_abs_change,
        count(*) filter (
            where counterfactual_predictions.counterfactual_predicted <> counterfactual_predictions.predicted
        ) as changed_n,
        count(*) filter (
            where counterfactual_predictions.predicted < target_threshold.threshold
            and counterfactual_predictions.counterfactual_predicted >= target_threshold.threshold
        ) as flip_up_n,
        count(*) filter (
            where counterfactual_predictions.predicted >= target_threshold.threshold
            and counterfactual_predictions.counterfactual_predicted < target_threshold.threshold
        ) as flip_down_n
    from counterfactual_predictions
    cross join target_threshold
    group by
        counterfactual_predictions.feature_set,
        counterfactual_predictions.model_name,
        counterfactual_predictions.attribute,
        counterfactual_predictions.code,
        counterfactual_predictions.counterfactual_code
),

counterfactual_flips as (
    select
        pair_sums.feature_set,
        pair_sums.model_name,
        pair_sums.attribute,
        own_group.value as group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        other_group.value as counterfactual_group,
        {{ undisclosed_flag('counterfactual_group_disclosure') }} as counterfactual_is_undisclosed,
        pair_sums.n,
        pair_sums.sampled,
        pair_sums.mean_prediction,
        pair_sums.mean_counterfactual_prediction,
        pair_sums.mean_change,
        pair_sums.mean_abs_change,
        case when pair_sums.mean_prediction <> 0 then pair_sums.mean_change / pair_sums.mean_prediction end
            as relative_change,
        pair_sums.mean_prediction = 0 as relative_change_undefined,
        pair_sums.changed_n::double / pair_sums.n as changed_share,
        pair_sums.threshold,
        pair_sums.threshold is null as threshold_undefined,
        case when pair_sums.threshold is not null then pair_sums.flip_up_n::double / pair_sums.n end as flip_up_rate,
        case when pair_sums.threshold is not null then pair_sums.flip_down_n::double / pair_sums.n end
            as flip_down_rate
    from pair_sums
    inner join encodings as own_group
        on pair_sums.attribute = own_group.attribute and pair_sums.code = own_group.code
    inner join encodings as other_group
        on pair_sums.attribute = other_group.attribute and pair_sums.counterfactual_code = other_group.code
    {{ join_undisclosed_flag('own_group', group_column='value') }}
    {{ join_undisclosed_flag('other_group', group_column='value', alias='counterfactual_group_disclosure') }}
)

select * from counterfactual_flips
order by feature_set, model_name, attribute, group_value, counterfactual_group
