{#- A value (an attribute name, a group or label from a var, a schema name) as a SQL string
    literal: single quotes around it, any quote inside doubled ('O''Brien'). -#}
{% macro sql_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}
