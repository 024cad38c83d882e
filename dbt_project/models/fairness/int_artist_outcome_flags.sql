{#- One row per artist: the protected attributes (and the controls of var fairness_controls), the
    outcomes and, per outcome, its high-success threshold and whether the artist reaches it.
    Ephemeral: the group tables aggregate it in one pass over the artists (grouping sets), never
    one row per artist x attribute. -#}
{{ config(materialized='ephemeral') }}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}
{#- the intersections' member columns that are neither attributes nor controls: whether a group is
    undisclosed is read from them -#}
{%- set members = [] -%}
{%- for attribute in attributes -%}
    {%- for member in var('fairness_attribute_members')[attribute]
            if member not in attributes and member not in var('fairness_controls') and member not in members -%}
        {%- do members.append(member) -%}
    {%- endfor -%}
{%- endfor -%}

with artists as (
    select
        artist_id,
        line_number,
        {{ fairness_attribute_columns(attributes) }},
        {#- the strata of conditional_parity: the controls that are not attributes already #}
        {%- for column in var('fairness_controls') if column not in attributes %}
        {{ adapter.quote(column) }}::varchar as {{ adapter.quote(column) }},
        {%- endfor %}
        {%- for column in members %}
        {{ adapter.quote(column) }}::varchar as {{ adapter.quote(column) }},
        {%- endfor %}
        {%- for outcome in outcomes %}
        {{ adapter.quote(outcome) }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from {{ ref('artist_features') }}
),

thresholds as (
    select
        {%- for outcome in outcomes %}
        -- numpy's np.percentile(x, q) with its default linear interpolation
        quantile_cont({{ adapter.quote(outcome) }}::double, {{ (var('high_success_percentile') | float) / 100 }})
            as {{ outcome_column(outcome, 'threshold') }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from artists
),

artist_outcome_flags as (
    select
        artists.artist_id,
        artists.line_number,
        {%- for attribute in attributes %}
        artists.{{ adapter.quote(attribute) }},
        {%- endfor %}
        {%- for column in var('fairness_controls') if column not in attributes %}
        artists.{{ adapter.quote(column) }},
        {%- endfor %}
        {%- for column in members %}
        artists.{{ adapter.quote(column) }},
        {%- endfor %}
        {%- for outcome in outcomes %}
        artists.{{ adapter.quote(outcome) }},
        {%- endfor %}
        {%- for outcome in outcomes %}
        thresholds.{{ outcome_column(outcome, 'threshold') }},
        artists.{{ adapter.quote(outcome) }} >= thresholds.{{ outcome_column(outcome, 'threshold') }}
            as {{ outcome_column(outcome, 'is_high_success') }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from artists
    cross join thresholds
)

select * from artist_outcome_flags
