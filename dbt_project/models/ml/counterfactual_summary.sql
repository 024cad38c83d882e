{#- One row per trained model x feature set x attribute encoded among any trained model's inputs:
    the largest effect of flipping the attribute's input over ml.counterfactual_flips' pairs of
    groups, and whether the model uses the input at all. A model without the input (the unaware
    feature set) cannot use it: its row says so with nothing flipped. Small: it reads one row per pair. -#}

with flips as (
    select
        feature_set,
        model_name,
        attribute,
        group_value,
        counterfactual_group,
        n,
        sampled,
        mean_abs_change,
        relative_change,
        changed_share,
        threshold_undefined,
        greatest(flip_up_rate, flip_down_rate) as flip_rate
    from {{ ref('counterfactual_flips') }}
),

trained_models as (
    select feature_set, model_name from {{ ref('model_metrics') }}
),

flipped_attributes as (
    select distinct attribute from flips
),

pair_summaries as (
    select
        feature_set,
        model_name,
        attribute,
        count(*) as n_pairs,
        bool_or(sampled) as sampled,
        max(mean_abs_change) as max_mean_abs_change,
        -- ties broken by the groups' names so that the answer does not depend on row order
        first(group_value order by mean_abs_change desc, group_value asc, counterfactual_group asc)
            as max_mean_abs_change_group,
        first(counterfactual_group order by mean_abs_change desc, group_value asc, counterfactual_group asc)
            as max_mean_abs_change_counterfactual_group,
        first(relative_change order by abs(relative_change) desc, group_value asc, counterfactual_group asc)
            filter (where relative_change is not null) as max_relative_change,
        first(group_value order by abs(relative_change) desc, group_value asc, counterfactual_group asc)
            filter (where relative_change is not null) as max_relative_change_group,
        first(counterfactual_group order by abs(relative_change) desc, group_value asc, counterfactual_group asc)
            filter (where relative_change is not null) as max_relative_change_counterfactual_group,
        bool_and(relative_change is null) as relative_change_undefined,
        max(flip_rate) as max_flip_rate,
        first(group_value order by flip_rate desc, group_value asc, counterfactual_group asc)
            filter (where flip_rate is not null) as max_flip_rate_group,
        first(counterfactual_group order by flip_rate desc, group_value asc, counterfactual_group asc)
            filter (where flip_rate is not null) as max_flip_rate_counterfactual_group,
        bool_or(threshold_undefined) as threshold_undefined,
        max(changed_share) as max_changed_share,
        max(changed_share) > 0 as uses_attribute
    from flips
    group by feature_set, model_name, attribute
),

counterfactual_summary as (
    select
        trained_models.feature_set,
        trained_models.model_name,
        flipped_attributes.attribute,
        pair_summaries.feature_set is not null as is_input,
        coalesce(pair_summaries.n_pairs, 0) as n_pairs,
        coalesce(pair_summaries.sampled, false) as sampled,
        coalesce(pair_summaries.max_mean_abs_change, 0) as max_mean_abs_change,
        pair_summaries.max_mean_abs_change_group,
        pair_summaries.max_mean_abs_change_counterfactual_group,
        pair_summaries.max_relative_change,
        pair_summaries.max_relative_change_group,
        pair_summaries.max_relative_change_counterfactual_group,
        coalesce(pair_summaries.relative_change_undefined, true) as relative_change_undefined,
        pair_summaries.max_flip_rate,
        pair_summaries.max_flip_rate_group,
        pair_summaries.max_flip_rate_counterfactual_group,
        coalesce(pair_summaries.threshold_undefined, false) as threshold_undefined,
        coalesce(pair_summaries.max_changed_share, 0) as max_changed_share,
        coalesce(pair_summaries.uses_attribute, false) as uses_attribute
    from trained_models
    cross join flipped_attributes
    left join pair_summaries
        on trained_models.feature_set = pair_summaries.feature_set
        and trained_models.model_name = pair_summaries.model_name
        and flipped_attributes.attribute = pair_summaries.attribute
)

select * from counterfactual_summary
order by feature_set, model_name, attribute
