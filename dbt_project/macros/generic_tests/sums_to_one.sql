{#- Groups of `group_by` whose column does not sum to 1 (within rounding): shares of a whole. -#}
{% test sums_to_one(model, column_name, group_by) %}
    select {{ group_by | join(', ') }}, sum({{ column_name }}) as total
    from {{ model }}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > 1e-9
{% endtest %}
