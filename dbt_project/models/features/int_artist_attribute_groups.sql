{#- One row per artist x protected attribute: the artist's group, the long form that every
    per-group breakdown joins to. Ephemeral: inlined where it is used, never stored. -#}
{{ config(materialized='ephemeral') }}
{%- set attributes = var('fairness_attributes') -%}

with artists as (
    select
        artist_id,
        {{ fairness_attribute_names(attributes) }}
    from {{ ref('artist_features') }}
),

artist_groups as (
    {%- for attribute in attributes %}
    select
        artist_id,
        {{ sql_literal(attribute) }} as attribute,
        {{ adapter.quote(attribute) }}::varchar as group_value
    from artists
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from artist_groups
