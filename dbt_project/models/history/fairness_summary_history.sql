{#- One row per build x outcome x attribute: the headline columns of fairness.fairness_summary of
    every build the history keeps (audit.build_runs), this build's last. -#}
with fairness_summary_by_build as (
    {{ history_snapshot(
        'fairness_summary_history', 'fairness_summary',
        columns=[
            'outcome', 'attribute', 'threshold', 'n', 'n_groups', 'n_small_groups',
            'statistical_parity_difference', 'max_rate_group', 'max_high_success_rate',
            'min_rate_group', 'min_high_success_rate', 'disparate_impact_ratio',
            'disparate_impact_undefined', 'disparate_impact_ci_low', 'disparate_impact_ci_high',
            'four_fifths_threshold', 'passes_four_fifths', 'four_fifths_verdict',
            'large_groups_disparate_impact_ratio', 'parity_tolerance', 'groups_outside_parity_band',
            'significant_groups', 'success_ratio', 'chi_square_p_value', 'kruskal_p_value'
        ],
        order_by=['outcome', 'attribute']
    ) }}
)

select * from fairness_summary_by_build
order by build_number, outcome, attribute
