{#- One row per feature set x protected attribute x between-group gap: ml.prediction_fairness_summary's
    gaps with their bootstrap intervals, for the notebook's best model of each feature set, one row
    per gap: the report's gap table. -#}
{{ config(materialized='view') }}
{%- set gaps = ['mae_difference', 'rmse_difference', 'demographic_parity_difference', 'equalized_odds_difference',
                'equal_opportunity_difference'] -%}

with best_models as (
    select feature_set, model_name from {{ ref('best_models') }}
),

summary as (
    select * from {{ ref('prediction_fairness_summary') }}
),

best_summary as (
    select summary.*
    from summary
    inner join best_models
        on summary.feature_set = best_models.feature_set and summary.model_name = best_models.model_name
),

best_model_gap_intervals as (
    {%- for gap in gaps %}
    select
        feature_set,
        model_name,
        attribute,
        {{ sql_literal(gap) }} as gap,
        {{ loop.index }} as gap_position,
        {{ gap }} as value,
        {{ gap }}_ci_low as ci_low,
        {{ gap }}_ci_high as ci_high
    from best_summary
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from best_model_gap_intervals
