{#- One row per outcome x attribute x group but the reference: the raw and control-adjusted gaps of
    fairness.adjusted_gap_fits (OLS with HC3 errors, ml/adjusted_gaps.py), typed for BI. -#}

with adjusted_gap_fits as (
    select * from {{ ref('adjusted_gap_fits') }}
),

adjusted_gaps as (
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
        raw_gap,
        adjusted_gap,
        adjusted_gap_se,
        adjusted_gap_ci_low,
        adjusted_gap_ci_high,
        adjusted_gap_p_value,
        adjusted_gap_pct,
        raw_rate_gap,
        adjusted_rate_gap,
        adjusted_rate_gap_se,
        adjusted_rate_gap_ci_low,
        adjusted_rate_gap_ci_high,
        adjusted_rate_gap_p_value,
        share_explained,
        undefined_reason
    from adjusted_gap_fits
    order by outcome, attribute, group_value
)

select * from adjusted_gaps
