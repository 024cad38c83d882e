{#- One row per setting the report's prose mentions, so that the page reads every number it writes
    from the warehouse: the settings declared as reported (warehouse/settings/declarations.py; the
    build hands their rows to dbt as var report_setting_rows, values rendered as literals, never
    spliced raw), the weights of the equity_weights seed, and the report's own drawing limits
    (report_drawing_limits). A list setting has one row per element (setting_key `name[position]`). -#}
{{ config(materialized='view') }}

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
        {%- for key, name, position, text, number in var('report_setting_rows') %}
        ({{ sql_literal(key) }}, {{ sql_literal(name) }}, null,
            {% if position is none %}null{% else %}{{ position | int }}{% endif %}::integer, {{ sql_literal(text) }},
            {% if number is none %}null{% else %}{{ number }}{% endif %}::double){{ "," if not loop.last }}
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

select * from report_settings
