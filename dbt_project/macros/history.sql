{#- The table of schema history_carried that the build copied from the published warehouse
    (warehouse/history.py), or none: a new warehouse, --fresh-history, a warehouse built before the
    history existed, or dbt compiling without running (parse, docs, lint). -#}
{% macro history_carried_relation(table_name) -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(load_relation(source('history_carried', table_name))) }}
{%- endmacro %}

{#- The rows of every build the history keeps: the carried rows (columns matched by name, so a
    column added since they were written reads null in them and one since removed is dropped by the
    model's final select), then this build's rows (the CTE named by current_rows). -#}
{% macro history_union(carried, current_rows) -%}
    {%- if carried is not none %}
    select * from {{ carried.include(database=false) }}
    union all by name
    {%- endif %}
    select * from {{ current_rows }}
{%- endmacro %}
