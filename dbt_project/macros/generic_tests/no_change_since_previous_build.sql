{#- Rows of history.fairness_changes whose flag (a boolean column) is raised against the previous
    build: a four-fifths verdict that flipped, a disparate impact that fell too far. -#}
{% test no_change_since_previous_build(model, column_name) %}
    select baseline_build_number, build_number, outcome, attribute, baseline_four_fifths_verdict,
        four_fifths_verdict, baseline_disparate_impact_ratio, disparate_impact_ratio
    from {{ model }}
    where baseline = 'previous' and {{ column_name }}
{% endtest %}
