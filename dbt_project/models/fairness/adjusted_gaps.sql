{#- One row per outcome x attribute x group but the reference: the raw and control-adjusted gaps of
    fairness.adjusted_gap_fits (OLS with HC3 errors, ml/adjusted_gaps.py), typed for BI. -#}

with adjusted_gap_fits as (
    select * from {{ ref('adjusted_gap_fits') }}
),

adjusted_gaps as (
    select
        adjusted_gap_fits.outcome,
        adjusted_gap_fits.attribute,
        adjusted_gap_fits.group_value,
        {{ undisclosed_flag() }} as is_undisclosed,
        adjusted_gap_fits.reference_group,
        adjusted_gap_fits.n,
        adjusted_gap_fits.reference_n,
        adjusted_gap_fits.fit_rows,
        adjusted_gap_fits.sampled,
        adjusted_gap_fits.controls,
        adjusted_gap_fits.raw_gap,
        adjusted_gap_fits.adjusted_gap,
        adjusted_gap_fits.adjusted_gap_se,
        adjusted_gap_fits.adjusted_gap_ci_low,
        adjusted_gap_fits.adjusted_gap_ci_high,
        adjusted_gap_fits.adjusted_gap_p_value,
        adjusted_gap_fits.adjusted_gap_pct,
        adjusted_gap_fits.raw_rate_gap,
        adjusted_gap_fits.adjusted_rate_gap,
        adjusted_gap_fits.adjusted_rate_gap_se,
        adjusted_gap_fits.adjusted_rate_gap_ci_low,
        adjusted_gap_fits.adjusted_rate_gap_ci_high,
        adjusted_gap_fits.adjusted_rate_gap_p_value,
        adjusted_gap_fits.share_explained,
        adjusted_gap_fits.undefined_reason
    from adjusted_gap_fits
    {{ join_undisclosed_flag('adjusted_gap_fits') }}
    order by adjusted_gap_fits.outcome, adjusted_gap_fits.attribute, adjusted_gap_fits.group_value
)

select * from adjusted_gaps
