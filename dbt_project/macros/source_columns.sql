{#- The input columns of one type, from var input_columns (var source_columns, then the extra
    attributes and measures the build adds). -#}
{% macro source_columns_of_type(column_type) -%}
    {%- set names = [] -%}
    {%- for column in var('input_columns') if column.type == column_type -%}
        {%- do names.append(column.name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{#- The text source columns artists are grouped by (gender, ethnicity, genre, country, label_type):
    every text column but the artist's name, which is shown, never grouped, and whose invisible
    joiners (ZWJ in an emoji, ZWNJ in a Persian name) are part of how it is spelled. -#}
{% macro categorical_source_columns() -%}
    {{ return(source_columns_of_type('text') | reject('equalto', 'artist_name') | list) }}
{%- endmacro %}
