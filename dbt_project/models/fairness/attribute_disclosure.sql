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
        case when undisclosed_n > 0
            then greatest(0, {{ fairness_wilson_bound('undisclosed_high_success_n', 'undisclosed_n', '-') }})
        end as undisclosed_wilson_low,
        case when undisclosed_n > 0
            then least(1, {{ fairness_wilson_bound('undisclosed_high_success_n', 'undisclosed_n', '+') }})
        end as undisclosed_wilson_high,
        case when disclosed_n > 0
            then greatest(0, {{ fairness_wilson_bound('disclosed_high_success_n', 'disclosed_n', '-') }})
        end as disclosed_wilson_low,
        case when disclosed_n > 0
            then least(1, {{ fairness_wilson_bound('disclosed_high_success_n', 'disclosed_n', '+') }})
        end as disclosed_wilson_high
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
        (undisclosed_rate - disclosed_rate)
        - sqrt((undisclosed_rate - undisclosed_wilson_low) ^ 2 + (disclosed_wilson_high - disclosed_rate) ^ 2)
            as rate_difference_ci_low,
        (undisclosed_rate - disclosed_rate)
        + sqrt((disclosed_rate - disclosed_wilson_low) ^ 2 + (undisclosed_wilson_high - undisclosed_rate) ^ 2)
            as rate_difference_ci_high,
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
