{#- Values of `values` missing from the column (e.g. a weight the equity score needs). -#}
{% test contains_values(model, column_name, values) %}
    select required.value
    from (values {% for value in values %}({{ sql_literal(value) }}){% if not loop.last %}, {% endif %}{% endfor %}) as required (value)
    where required.value not in (select {{ column_name }} from {{ model }} where {{ column_name }} is not null)
{% endtest %}
