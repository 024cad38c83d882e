{#- NaN or infinity, which a published table never holds (undefined is null plus a flag); nulls pass. -#}
{% test finite(model, column_name) %}
    select {{ column_name }}
    from {{ model }}
    where isnan({{ column_name }}) or isinf({{ column_name }})
{% endtest %}
