{#- Groups of `group_by` that do not have exactly one row where the boolean column is true. -#}
{% test exactly_one_true(model, column_name, group_by) %}
    select {{ group_by | join(', ') }}, count(*) filter (where {{ column_name }}) as true_rows
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having count(*) filter (where {{ column_name }}) <> 1
{% endtest %}
