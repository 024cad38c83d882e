{#- One row per outcome x protected attribute x artist: the long form the group tables and the
    statistical tests aggregate. -#}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('protected_attributes') -%}

with artists as (
    select
        artist_id,
        line_number,
        {%- for attribute in attributes %}
        {{ adapter.quote(attribute) }},
        {%- endfor %}
        {%- for outcome in outcomes %}
        {{ adapter.quote(outcome) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('artist_features') }}
),

thresholds as (
    {%- for outcome in outcomes %}
    select
        {{ fairness_literal(outcome) }} as outcome,
        -- numpy's np.percentile(x, q) with its default linear interpolation
        quantile_cont({{ adapter.quote(outcome) }}::double, {{ var('high_success_percentile') / 100 }}) as threshold
    from artists
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

outcomes_by_attribute as (
    {%- for outcome in outcomes %}
    {%- set outer_last = loop.last %}
    {%- for attribute in attributes %}
    select
        {{ fairness_literal(outcome) }} as outcome,
        {{ fairness_literal(attribute) }} as attribute,
        {{ adapter.quote(attribute) }}::varchar as group_value,
        artist_id,
        line_number,
        {{ adapter.quote(outcome) }}::double as outcome_value
    from artists
    {% if not (outer_last and loop.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}
),

artist_attribute_outcomes as (
    select
        outcomes_by_attribute.outcome,
        outcomes_by_attribute.attribute,
        outcomes_by_attribute.group_value,
        outcomes_by_attribute.artist_id,
        outcomes_by_attribute.line_number,
        outcomes_by_attribute.outcome_value,
        thresholds.threshold,
        outcomes_by_attribute.outcome_value >= thresholds.threshold as is_high_success
    from outcomes_by_attribute
    inner join thresholds on outcomes_by_attribute.outcome = thresholds.outcome
)

select * from artist_attribute_outcomes
