{#- One row per outcome x attribute x group but the reference: the Oaxaca-Blinder parts of
    fairness.gap_decomposition_terms (ml/gap_decomposition.py), one column per mean and part and
    two per part's bootstrap interval. -#}
{%- set parts = ['gap', 'explained', 'unexplained', 'endowments', 'coefficients', 'interaction'] -%}

with decomposition_terms as (
    select * from {{ ref('gap_decomposition_terms') }}
    where term_kind in ('mean', 'part')
),

group_parts as (
    select
        outcome,
        attribute,
        group_value,
        reference_group,
        n,
        reference_n,
        fit_rows,
        sampled,
        controls,
        bootstrap_draws,
        undefined_reason,
        max(value) filter (where term = 'mean_reference') as mean_reference,
        max(value) filter (where term = 'mean_group') as mean_group,
        {%- for part in parts %}
        max(value) filter (where term = {{ sql_literal(part) }}) as {{ part }},
        max(ci_low) filter (where term = {{ sql_literal(part) }}) as {{ part }}_ci_low,
        max(ci_high) filter (where term = {{ sql_literal(part) }}) as {{ part }}_ci_high{{ "," if not loop.last }}
        {%- endfor %}
    from decomposition_terms
    group by
        outcome, attribute, group_value, reference_group, n, reference_n, fit_rows, sampled, controls,
        bootstrap_draws, undefined_reason
),

gap_decomposition as (
    select
        group_parts.outcome,
        group_parts.attribute,
        group_parts.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        group_parts.reference_group,
        group_parts.n,
        group_parts.reference_n,
        group_parts.fit_rows,
        group_parts.sampled,
        group_parts.controls,
        group_parts.bootstrap_draws,
        group_parts.mean_reference,
        group_parts.mean_group,
        {%- for part in parts %}
        group_parts.{{ part }},
        group_parts.{{ part }}_ci_low,
        group_parts.{{ part }}_ci_high,
        {%- endfor %}
        case when group_parts.gap != 0 then group_parts.explained / group_parts.gap end as explained_share,
        group_parts.undefined_reason
    from group_parts
    {{ join_undisclosed_flag('group_parts') }}
    order by group_parts.outcome, group_parts.attribute, group_parts.group_value
)

select * from gap_decomposition
