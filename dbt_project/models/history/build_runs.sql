{#- One row per build the history keeps: the carried rows of audit.build_runs, then this build's
    lineage (history_carried.current_build, written by warehouse/build_history/lineage.py before dbt) with its
    load counts. finished_at_utc and the seconds are only known once dbt has ended: the build
    writes them into this build's row after dbt, before it checks and publishes the file. -#}
{{ config(schema='audit') }}
{%- set carried = history_carried_relation('build_runs') -%}

with current_lineage as (
    select
        build_id,
        started_at_utc,
        input_file_name,
        input_file_bytes,
        input_file_sha256,
        dbt_vars_json,
        dbt_vars_sha256,
        seed_weights_sha256,
        project_version,
        dbt_core_version,
        dbt_duckdb_version,
        duckdb_version,
        scikit_learn_version
    from {{ source('history_carried', 'current_build') }}
),

load_counts as (
    select
        sum(rows_read)::bigint as rows_read,
        sum(artists_loaded)::bigint as artists_loaded,
        sum(rows_quarantined)::bigint as rows_quarantined
    from {{ ref('load_reconciliation') }}
),

current_run as (
    select
        current_lineage.build_id,
        {%- if carried is not none %}
        coalesce((select max(carried_runs.build_number) from {{ carried.include(database=false) }} as carried_runs), 0)
            + 1 as build_number,
        {%- else %}
        1 as build_number,
        {%- endif %}
        current_lineage.started_at_utc,
        null::timestamp as finished_at_utc,
        current_lineage.input_file_name,
        current_lineage.input_file_bytes,
        current_lineage.input_file_sha256,
        load_counts.rows_read,
        load_counts.artists_loaded,
        load_counts.rows_quarantined,
        current_lineage.dbt_vars_json,
        current_lineage.dbt_vars_sha256,
        current_lineage.seed_weights_sha256,
        current_lineage.project_version,
        current_lineage.dbt_core_version,
        current_lineage.dbt_duckdb_version,
        current_lineage.duckdb_version,
        current_lineage.scikit_learn_version,
        null::double as load_seconds,
        null::double as carry_seconds,
        null::double as dbt_seconds,
        null::varchar as dbt_layer_seconds_json
    from current_lineage
    cross join load_counts
),

every_run as (
    {{ history_union(carried, 'current_run') }}
),

kept_runs as (
    select
        build_id,
        build_number,
        started_at_utc,
        finished_at_utc,
        input_file_name,
        input_file_bytes,
        input_file_sha256,
        rows_read,
        artists_loaded,
        rows_quarantined,
        dbt_vars_json,
        dbt_vars_sha256,
        seed_weights_sha256,
        project_version,
        dbt_core_version,
        dbt_duckdb_version,
        duckdb_version,
        scikit_learn_version,
        load_seconds,
        carry_seconds,
        dbt_seconds,
        dbt_layer_seconds_json
    from every_run
    qualify build_number > max(build_number) over () - {{ var('history_max_builds') | int }}
)

select * from kept_runs
order by build_number
