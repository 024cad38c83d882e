{#- The source columns of one type, from var('source_columns'). -#}
{% macro source_columns_of_type(column_type) -%}
    {%- set names = [] -%}
    {%- for column in var('source_columns') if column.type == column_type -%}
        {%- do names.append(column.name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}
