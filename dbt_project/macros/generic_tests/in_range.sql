{#- Values outside [min_value, max_value], both ends included; nulls pass (not_null tests them). -#}
{% test in_range(model, column_name, min_value, max_value) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}
