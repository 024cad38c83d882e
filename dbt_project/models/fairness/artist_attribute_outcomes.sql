{#- One row per outcome x protected attribute x artist: the long form an analyst drills down to
    from a group. A view: at 10 million artists it would be 120 million stored rows that no model
    reads (the group tables aggregate int_artist_outcome_flags directly). -#}
{{ config(materialized='view') }}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),

artist_attribute_outcomes as (
    {%- for outcome, attribute in fairness_outcome_attribute_pairs() %}
    select
        {{ fairness_literal(outcome) }} as outcome,
        {{ fairness_literal(attribute) }} as attribute,
        {{ adapter.quote(attribute) }} as group_value,
        artist_id,
        line_number,
        {{ adapter.quote(outcome) }}::double as outcome_value,
        {{ adapter.quote(outcome ~ '__threshold') }} as threshold,
        {{ adapter.quote(outcome ~ '__is_high_success') }} as is_high_success
    from artist_outcome_flags
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    outcome,
    attribute,
    group_value,
    artist_id,
    line_number,
    outcome_value,
    threshold,
    is_high_success
from artist_attribute_outcomes
