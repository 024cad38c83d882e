{#- One row per outcome x protected attribute x artist: the long form an analyst drills down to
    from a group. A view: at 10 million artists it would be 120 million stored rows that no model
    reads (the group tables aggregate int_artist_outcome_flags directly).

    Each artist row is crossed with the (outcome, attribute) pairs and the pair picks its columns,
    rather than one union branch per pair over the artists: DuckDB 1.1 to 1.3 with more than one
    thread planned the twelve branches over one materialized CTE wrongly, returning 80 of 480 rows
    on the workshop data and never finishing at 10,000 artists; `as materialized` on the CTE does
    not help, as the file is written for older readers without that flag
    (tests/builds/test_old_readers.py reads the view with those releases). -#}
{{ config(materialized='view') }}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),

outcome_attribute_pairs as (
    select
        pairs.outcome,
        pairs.attribute
    from (
        values
        {%- for outcome, attribute in var('fairness_outcome_attribute_pairs') %}
        ({{ sql_literal(outcome) }}, {{ sql_literal(attribute) }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as pairs (outcome, attribute)
),

artist_group_outcomes as (
    select
        pairs.outcome,
        pairs.attribute,
        case pairs.attribute
            {%- for attribute in attributes %}
            when {{ sql_literal(attribute) }} then flags.{{ adapter.quote(attribute) }}
            {%- endfor %}
        end as group_value,
        flags.artist_id,
        flags.line_number,
        case pairs.outcome
            {%- for outcome in outcomes %}
            when {{ sql_literal(outcome) }} then flags.{{ adapter.quote(outcome) }}::double
            {%- endfor %}
        end as outcome_value,
        case pairs.outcome
            {%- for outcome in outcomes %}
            when {{ sql_literal(outcome) }} then flags.{{ outcome_column(outcome, 'threshold') }}
            {%- endfor %}
        end as threshold,
        case pairs.outcome
            {%- for outcome in outcomes %}
            when {{ sql_literal(outcome) }} then flags.{{ outcome_column(outcome, 'is_high_success') }}
            {%- endfor %}
        end as is_high_success
    from artist_outcome_flags as flags
    cross join outcome_attribute_pairs as pairs
),

artist_attribute_outcomes as (
    select
        artist_group_outcomes.outcome,
        artist_group_outcomes.attribute,
        artist_group_outcomes.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        artist_group_outcomes.artist_id,
        artist_group_outcomes.line_number,
        artist_group_outcomes.outcome_value,
        artist_group_outcomes.threshold,
        artist_group_outcomes.is_high_success
    from artist_group_outcomes
    {{ join_undisclosed_flag('artist_group_outcomes') }}
)

select * from artist_attribute_outcomes
