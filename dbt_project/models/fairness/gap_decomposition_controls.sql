{#- One row per outcome x attribute x fitted group x control: the control's contribution to the
    explained part of the group's decomposition (fairness.gap_decomposition_terms), with the explained
    part and the gap it is a share of. -#}

with decomposition_terms as (
    select * from {{ ref('gap_decomposition_terms') }}
),

group_parts as (
    select
        outcome,
        attribute,
        group_value,
        max(value) filter (where term = 'explained') as explained,
        max(value) filter (where term = 'gap') as gap
    from decomposition_terms
    where term_kind = 'part'
    group by outcome, attribute, group_value
),

gap_decomposition_controls as (
    select
        decomposition_terms.outcome,
        decomposition_terms.attribute,
        decomposition_terms.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        decomposition_terms.reference_group,
        decomposition_terms.n,
        decomposition_terms.reference_n,
        decomposition_terms.fit_rows,
        decomposition_terms.sampled,
        decomposition_terms.controls,
        decomposition_terms.term as control,
        decomposition_terms.value as contribution,
        group_parts.explained,
        group_parts.gap,
        case when group_parts.gap != 0 then decomposition_terms.value / group_parts.gap end as share_of_gap
    from decomposition_terms
    inner join group_parts
        on
            decomposition_terms.outcome = group_parts.outcome
            and decomposition_terms.attribute = group_parts.attribute
            and decomposition_terms.group_value = group_parts.group_value
    {{ join_undisclosed_flag('decomposition_terms') }}
    where decomposition_terms.term_kind = 'control'
    order by
        decomposition_terms.outcome, decomposition_terms.attribute, decomposition_terms.group_value,
        decomposition_terms.term
)

select * from gap_decomposition_controls
