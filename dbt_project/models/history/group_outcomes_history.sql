{#- One row per build x outcome x attribute x group: the headline columns of
    fairness.group_outcomes of every build the history keeps (audit.build_runs), this build's last. -#}
with group_outcomes_by_build as (
    {{ history_snapshot(
        'group_outcomes_history', 'group_outcomes',
        columns=[
            'outcome', 'attribute', 'group_value', 'is_undisclosed', 'threshold', 'n', 'population_share',
            'mean_outcome', 'high_success_n', 'high_success_rate', 'rate_ci_low', 'rate_ci_high',
            'representation_ratio', 'reference_group', 'is_reference_group', 'disparity_ratio',
            'rate_difference', 'disparity_ratio_undefined', 'small_group'
        ],
        order_by=['outcome', 'attribute', 'group_value']
    ) }}
)

select * from group_outcomes_by_build
order by build_number, outcome, attribute, group_value
