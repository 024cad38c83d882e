{#- One row per model x feature set x protected attribute: Fairlearn's between-groups comparisons of
    ml.prediction_group_metrics (group_max, group_min, difference, ratio and the fairness metrics of
    the thresholded predictions) beside the model's overall accuracy. Small: it reads one row per group. -#}
{%- set max_mae = var('bounded_group_loss_max_mae') -%}
{#- the predictive-parity rates (Aequitas, AIF360): compared as Fairlearn's between_groups, over the
    groups where each is defined -#}
{%- set gaps = ['mae_difference', 'rmse_difference', 'demographic_parity_difference', 'equalized_odds_difference',
                'equal_opportunity_difference'] -%}
{%- set parity_rates = ['false_discovery_rate', 'false_omission_rate', 'negative_predictive_value', 'accuracy'] -%}

with group_metrics as (
    select
        feature_set,
        model_name,
        attribute,
        group_value,
        n,
        threshold_undefined,
        mae,
        rmse,
        r2,
        mean_prediction,
        selection_rate,
        true_positive_rate,
        true_positive_rate_undefined,
        false_positive_rate,
        false_positive_rate_undefined,
        {%- for rate in parity_rates %}
        {{ rate }},
        {%- endfor %}
        average_odds_error
    from {{ ref('prediction_group_metrics') }}
    -- MetricFrame and pandas' groupby leave out the artists without a group; the between-group
    -- comparisons compare the disclosed groups
    where group_value is not null and not is_undisclosed
),

gap_intervals as (
    select * from {{ ref('prediction_gap_intervals') }}
),

overall_metrics as (
    select feature_set, model_name, rmse, r2, r2_undefined from {{ ref('model_metrics') }}
),

attribute_extremes as (
    select
        feature_set,
        model_name,
        attribute,
        count(*) as n_groups,
        sum(n)::bigint as n,
        bool_or(threshold_undefined) as threshold_undefined,
        max(mae) as mae_group_max,
        min(mae) as mae_group_min,
        -- ties broken by group value so that the answer does not depend on row order
        first(group_value order by mae desc, group_value asc) as mae_worst_group,
        max(rmse) as rmse_group_max,
        min(rmse) as rmse_group_min,
        first(group_value order by rmse desc, group_value asc) as rmse_worst_group,
        max(r2) as r2_group_max,
        min(r2) as r2_group_min,
        first(group_value order by r2 asc, group_value asc) filter (where r2 is not null) as r2_worst_group,
        max(mean_prediction) as mean_prediction_group_max,
        min(mean_prediction) as mean_prediction_group_min,
        max(selection_rate) as selection_rate_group_max,
        min(selection_rate) as selection_rate_group_min,
        max(true_positive_rate) as true_positive_rate_group_max,
        min(true_positive_rate) as true_positive_rate_group_min,
        max(false_positive_rate) as false_positive_rate_group_max,
        min(false_positive_rate) as false_positive_rate_group_min,
        count(*) filter (where true_positive_rate_undefined) as groups_without_positives,
        count(*) filter (where false_positive_rate_undefined) as groups_without_negatives,
        {%- for rate in parity_rates %}
        max({{ rate }}) as {{ rate }}_group_max,
        min({{ rate }}) as {{ rate }}_group_min,
        {%- endfor %}
        max(average_odds_error) as max_average_odds_error,
        first(group_value order by average_odds_error desc, group_value asc)
            filter (where average_odds_error is not null) as max_average_odds_error_group
    from group_metrics
    group by feature_set, model_name, attribute
),

comparable_extremes as (
    select
        *,
        -- Fairlearn compares a lone group with itself (difference 0, ratio 1): no evidence of parity
        case when n_groups < 2 then 'fewer_than_two_groups' end as not_comparable_reason
    from attribute_extremes
),

between_groups as (
    select
        comparable_extremes.*,
        case
            when comparable_extremes.not_comparable_reason is null
                then comparable_extremes.true_positive_rate_group_max - comparable_extremes.true_positive_rate_group_min
        end as true_positive_rate_difference,
        case
            when comparable_extremes.not_comparable_reason is null
                then comparable_extremes.false_positive_rate_group_max - comparable_extremes.false_positive_rate_group_min
        end as false_positive_rate_difference,
        -- Fairlearn's ratio(): group_min / group_max, undefined (null here, NaN or infinity there) at max 0
        case
            when comparable_extremes.not_comparable_reason is null
                and comparable_extremes.true_positive_rate_group_max > 0
                then comparable_extremes.true_positive_rate_group_min / comparable_extremes.true_positive_rate_group_max
        end as true_positive_rate_ratio,
        case
            when comparable_extremes.not_comparable_reason is null
                and comparable_extremes.false_positive_rate_group_max > 0
                then comparable_extremes.false_positive_rate_group_min / comparable_extremes.false_positive_rate_group_max
        end as false_positive_rate_ratio
    from comparable_extremes
),

between_group_gaps as (
    select
        between_groups.feature_set,
        between_groups.model_name,
        between_groups.attribute,
        between_groups.n_groups,
        between_groups.not_comparable_reason,
        between_groups.n,
        between_groups.mae_group_max,
        between_groups.mae_group_min,
        case
            when between_groups.not_comparable_reason is null
                then between_groups.mae_group_max - between_groups.mae_group_min
        end as mae_difference,
        case
            when between_groups.not_comparable_reason is null and between_groups.mae_group_max > 0
                then between_groups.mae_group_min / between_groups.mae_group_max
        end as mae_ratio,
        between_groups.not_comparable_reason is not null or between_groups.mae_group_max = 0 as mae_ratio_undefined,
        between_groups.mae_worst_group,
        between_groups.rmse_group_max,
        between_groups.rmse_group_min,
        case
            when between_groups.not_comparable_reason is null
                then between_groups.rmse_group_max - between_groups.rmse_group_min
        end as rmse_difference,
        case
            when between_groups.not_comparable_reason is null and between_groups.rmse_group_max > 0
                then between_groups.rmse_group_min / between_groups.rmse_group_max
        end as rmse_ratio,
        between_groups.not_comparable_reason is not null or between_groups.rmse_group_max = 0 as rmse_ratio_undefined,
        between_groups.rmse_worst_group,
        between_groups.r2_group_max,
        between_groups.r2_group_min,
        case
            when between_groups.not_comparable_reason is null
                then between_groups.r2_group_max - between_groups.r2_group_min
        end as r2_difference,
        case
            when between_groups.not_comparable_reason is null and between_groups.r2_group_max <> 0
                then between_groups.r2_group_min / between_groups.r2_group_max
        end as r2_ratio,
        between_groups.r2_group_max is null as r2_by_group_undefined,
        between_groups.not_comparable_reason is not null or coalesce(between_groups.r2_group_max, 0) = 0
            as r2_ratio_undefined,
        between_groups.r2_worst_group,
        case
            when between_groups.not_comparable_reason is null
                then between_groups.mean_prediction_group_max - between_groups.mean_prediction_group_min
        end as mean_prediction_difference,
        case
            when between_groups.not_comparable_reason is null and between_groups.mean_prediction_group_max <> 0
                then between_groups.mean_prediction_group_min / between_groups.mean_prediction_group_max
        end as mean_prediction_ratio,
        between_groups.not_comparable_reason is not null or between_groups.mean_prediction_group_max = 0
            as mean_prediction_ratio_undefined,
        between_groups.threshold_undefined,
        case
            when between_groups.not_comparable_reason is null
                then between_groups.selection_rate_group_max - between_groups.selection_rate_group_min
        end as demographic_parity_difference,
        case
            when between_groups.not_comparable_reason is null and between_groups.selection_rate_group_max > 0
                then between_groups.selection_rate_group_min / between_groups.selection_rate_group_max
        end as demographic_parity_ratio,
        between_groups.not_comparable_reason is not null or coalesce(between_groups.selection_rate_group_max, 0) = 0
            as demographic_parity_ratio_undefined,
        between_groups.groups_without_positives,
        between_groups.groups_without_negatives,
        -- Fairlearn's agg='worst_case': the worse of the two parts; greatest and least skip a part
        -- that is null (no group with the rate's denominator, or a ratio's group_max of 0)
        greatest(between_groups.true_positive_rate_difference, between_groups.false_positive_rate_difference)
            as equalized_odds_difference,
        between_groups.true_positive_rate_difference is null
        and between_groups.false_positive_rate_difference is null as equalized_odds_undefined,
        least(between_groups.true_positive_rate_ratio, between_groups.false_positive_rate_ratio)
            as equalized_odds_ratio,
        between_groups.true_positive_rate_ratio is null
        and between_groups.false_positive_rate_ratio is null as equalized_odds_ratio_undefined,
        between_groups.true_positive_rate_difference as equal_opportunity_difference,
        between_groups.true_positive_rate_difference is null as equal_opportunity_undefined,
        {%- for rate in parity_rates %}
        case
            when between_groups.not_comparable_reason is null
                then between_groups.{{ rate }}_group_max - between_groups.{{ rate }}_group_min
        end as {{ rate }}_difference,
        between_groups.not_comparable_reason is not null or between_groups.{{ rate }}_group_max is null
            as {{ rate }}_difference_undefined,
        case
            when between_groups.not_comparable_reason is null and between_groups.{{ rate }}_group_max > 0
                then between_groups.{{ rate }}_group_min / between_groups.{{ rate }}_group_max
        end as {{ rate }}_ratio,
        between_groups.not_comparable_reason is not null or coalesce(between_groups.{{ rate }}_group_max, 0) = 0
            as {{ rate }}_ratio_undefined,
        {%- endfor %}
        between_groups.max_average_odds_error,
        between_groups.max_average_odds_error_group,
        {%- if max_mae is none %}
        null::double as bounded_group_loss_max_mae,
        null::boolean as bounded_group_loss_ok,
        {%- else %}
        {{ max_mae | float }}::double as bounded_group_loss_max_mae,
        between_groups.mae_group_max <= {{ max_mae | float }} as bounded_group_loss_ok,
        {%- endif %}
        overall_metrics.rmse,
        overall_metrics.r2,
        overall_metrics.r2_undefined
    from between_groups
    inner join overall_metrics
        on between_groups.feature_set = overall_metrics.feature_set
        and between_groups.model_name = overall_metrics.model_name
),

prediction_fairness_summary as (
    select
        between_group_gaps.*,
        {%- for gap in gaps %}
        -- no interval on a gap that is null (one group, or no group defines it)
        case when between_group_gaps.{{ gap }} is not null then gap_intervals.{{ gap }}_ci_low end as {{ gap }}_ci_low,
        case when between_group_gaps.{{ gap }} is not null then gap_intervals.{{ gap }}_ci_high end
            as {{ gap }}_ci_high,
        {%- endfor %}
        gap_intervals.n as gap_interval_n,
        gap_intervals.n_draws as gap_interval_draws
    from between_group_gaps
    left join gap_intervals
        on between_group_gaps.feature_set = gap_intervals.feature_set
        and between_group_gaps.model_name = gap_intervals.model_name
        and between_group_gaps.attribute = gap_intervals.attribute
)

select * from prediction_fairness_summary
order by feature_set, model_name, attribute
