{#- Rows of fairness_summary whose attribute fails the four-fifths rule: the boolean column (the
    ratio of the lowest to the highest group rate >= the threshold) is false. Null (an undefined
    ratio) passes. -#}
{% test fairness_four_fifths_rule(model, column_name) %}
    select outcome, attribute, disparate_impact_ratio, min_rate_group, max_rate_group
    from {{ model }}
    where {{ column_name }} = false
{% endtest %}
