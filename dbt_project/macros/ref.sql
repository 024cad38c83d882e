{#- Refer to models without the catalog: DuckDB names the catalog after the file, so a view that
    named it would break when a user opens a copy of the warehouse under another file name. -#}
{% macro ref() %}
    {%- set relation = builtins.ref(*varargs, **kwargs) -%}
    {{ return(relation.include(database=false)) }}
{% endmacro %}

{% macro source() %}
    {%- set relation = builtins.source(*varargs, **kwargs) -%}
    {{ return(relation.include(database=false)) }}
{% endmacro %}
