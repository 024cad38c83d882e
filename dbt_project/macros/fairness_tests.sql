{#- Generic tests of the fairness and equity tables. -#}

{#- Rows of fairness_summary whose attribute fails the four-fifths rule (min rate / max rate < threshold). -#}
{% test fairness_four_fifths_rule(model, column_name) %}
    select outcome, attribute, disparate_impact_ratio, min_rate_group, max_rate_group
    from {{ model }}
    where {{ column_name }} = false
{% endtest %}

{#- Values outside [min_value, max_value]; nulls pass (not_null tests them). -#}
{% test fairness_between(model, column_name, min_value, max_value) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}

{#- NaN or infinity, which a published table never holds (undefined is null plus a flag). -#}
{% test fairness_finite(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where isnan({{ column_name }}) or isinf({{ column_name }})
{% endtest %}

{#- Combinations of the columns that occur more than once. -#}
{% test fairness_unique_combination(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}

{#- Groups of `group_by` whose column does not sum to 1 (within rounding). -#}
{% test fairness_sums_to_one(model, column_name, group_by) %}
    select {{ group_by | join(', ') }}, sum({{ column_name }}) as total
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > 1e-9
{% endtest %}

{#- Groups of `group_by` that do not have exactly one row where the boolean column is true. -#}
{% test fairness_exactly_one_true(model, column_name, group_by) %}
    select {{ group_by | join(', ') }}, count(*) filter (where {{ column_name }}) as true_rows
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having count(*) filter (where {{ column_name }}) <> 1
{% endtest %}

{#- Values of `values` missing from the column (e.g. a weight the equity score needs). -#}
{% test fairness_contains_values(model, column_name, values) %}
    select required.value
    from (values {% for value in values %}({{ fairness_literal(value) }}){% if not loop.last %}, {% endif %}{% endfor %}) as required (value)
    where required.value not in (select {{ column_name }} from {{ model }} where {{ column_name }} is not null)
{% endtest %}
