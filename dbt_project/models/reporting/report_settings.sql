{#- One row per setting the report's prose mentions, so that the page reads every number it writes
    from the warehouse: the dbt vars (rendered as literals, never spliced raw), the weights of the
    equity_weights seed, and the report's own drawing limits (report_drawing_limits). A list var has
    one row per element (setting_key `name[position]`). -#}
{{ config(materialized='view') }}
{%- set scalar_vars = ['high_success_percentile', 'rate_interval_confidence', 'four_fifths_threshold',
                       'significance_level', 'parity_tolerance', 'min_group_size', 'test_size', 'cv_folds',
                       'kmeans_k', 'ml_max_training_rows', 'ml_sampled_cv_rows', 'ml_max_cluster_rows',
                       'smoothing_concentration'] -%}
{%- set list_vars = ['success_tier_edges', 'success_tier_labels', 'model_names', 'cluster_features',
                     'fairness_controls', 'equity_top_k'] -%}

with var_settings as (
    select
        settings.setting_key,
        settings.setting_name,
        settings.item,
        settings.item_position,
        settings.setting_value,
        settings.numeric_value
    from (
        values
        {%- for name in scalar_vars %}
        {%- set value = var(name) %}
        ({{ sql_literal(name) }}, {{ sql_literal(name) }}, null, null, {{ sql_literal(value) }},
            {{ value | float }}::double),
        {%- endfor %}
        {%- for name in list_vars %}
        {%- set outer_loop = loop %}
        {%- for value in var(name) %}
        ({{ sql_literal(name ~ '[' ~ loop.index ~ ']') }}, {{ sql_literal(name) }}, null, {{ loop.index | int }},
            {{ sql_literal(value) }},
            {% if value is number %}{{ value | float }}::double{% else %}null::double{% endif %})
            {{- "," if not (loop.last and outer_loop.last) }}
        {%- endfor %}
        {%- endfor %}
    ) as settings (setting_key, setting_name, item, item_position, setting_value, numeric_value)
),

seed_weights as (
    select
        weight_set || '.' || item as setting_key,
        weight_set as setting_name,
        item,
        null::integer as item_position,
        weight::varchar as setting_value,
        weight as numeric_value
    from {{ ref('equity_weights') }}
),

drawing_limits_as_text as (
    select columns(*)::varchar from {{ ref('report_drawing_limits') }}
),

drawing_limits as (
    select
        limits.setting_key,
        limits.setting_key as setting_name,
        null as item,
        null::integer as item_position,
        limits.setting_value,
        limits.setting_value::double as numeric_value
    from (
        unpivot drawing_limits_as_text on columns(*) into name setting_key value setting_value
    ) as limits
),

report_settings as (
    select
        setting_key, setting_name, item, item_position, setting_value, numeric_value,
        'var ' || setting_name as setting_source
    from var_settings
    union all
    select
        setting_key, setting_name, item, item_position, setting_value, numeric_value,
        'seed equity_weights' as setting_source
    from seed_weights
    union all
    select
        setting_key, setting_name, item, item_position, setting_value, numeric_value,
        'reporting.report_drawing_limits' as setting_source
    from drawing_limits
)

select
    setting_key,
    setting_name,
    item,
    item_position,
    setting_value,
    numeric_value,
    setting_source
from report_settings
