{#- The table of schema history_carried that the build copied from the published warehouse
    (warehouse/build_history/carry.py), or none: a new warehouse, --fresh-history, a warehouse built before the
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

{#- A history table: the columns of model source_model for this build (its build id and number
    from audit.build_runs and history_carried.current_build), unioned with the carried rows of the
    builds before it, kept to the builds audit.build_runs keeps, ordered by build then order_by. -#}
{% macro history_snapshot(history_table, source_model, columns, order_by) -%}
{%- set carried = history_carried_relation(history_table) -%}
with current_build as (
    select
        build_runs.build_id,
        build_runs.build_number
    from {{ ref('build_runs') }} as build_runs
    inner join {{ source('history_carried', 'current_build') }} as current_lineage
        on build_runs.build_id = current_lineage.build_id
),

current_rows as (
    select
        current_build.build_id,
        current_build.build_number,
        {%- for column in columns %}
        snapshot.{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref(source_model) }} as snapshot
    cross join current_build
),

every_row as (
    {{ history_union(carried, 'current_rows') }}
)

select
    build_id,
    build_number,
    {%- for column in columns %}
    {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
from every_row
where build_id in (select kept_runs.build_id from {{ ref('build_runs') }} as kept_runs)
order by build_number, {{ order_by | join(', ') }}
{%- endmacro %}
