{#- One row per outcome x protected attribute: how many artists disclosed it, and whether those who
    did not reach high success as often as those who did: both rates with Wilson intervals, their
    difference with Newcombe's interval and the pooled z test (as fairness.group_comparisons computes
    them), and a warning when the undisclosed share is above var disclosure_warning_share. -#}

with disclosure_tests as (
    select
        outcome,
        attribute,
        n,
        undisclosed_n,
        undisclosed_high_success_n,
        disclosed_n,
        disclosed_high_success_n,
        z_statistic,
        p_value,
        test_skip_reason
    from {{ ref('attribute_disclosure_tests') }}
),

rates as (
    select
        *,
        case when undisclosed_n > 0 then undisclosed_high_success_n::double / undisclosed_n end as undisclosed_rate,
        case when disclosed_n > 0 then disclosed_high_success_n::double / disclosed_n end as disclosed_rate,
        {{ fairness_wilson_columns('undisclosed_high_success_n', 'undisclosed_n', 'undisclosed') }},
        {{ fairness_wilson_columns('disclosed_high_success_n', 'disclosed_n', 'disclosed') }}
    from disclosure_tests
),

attribute_disclosure as (
    select
        outcome,
        attribute,
        n,
        disclosed_n,
        undisclosed_n,
        case when n > 0 then disclosed_n::double / n end as disclosure_rate,
        undisclosed_rate,
        disclosed_rate,
        undisclosed_rate - disclosed_rate as rate_difference,
        {{ fairness_newcombe_difference_columns('undisclosed_rate', 'undisclosed', 'disclosed_rate', 'disclosed') }},
        z_statistic,
        p_value,
        test_skip_reason,
        {{ var('disclosure_warning_share') | float }}::double as disclosure_warning_share,
        coalesce(undisclosed_n::double / nullif(n, 0) > {{ var('disclosure_warning_share') | float }}, false)
            as disclosure_warning
    from rates
    order by outcome, attribute
)

select * from attribute_disclosure
