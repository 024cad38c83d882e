{#- on-run-end: the row count of every table this run wrote, as dbt's own connection sees it.
    The build opens the finished file on its own and compares (warehouse/verify.py): a file whose
    last writes stayed in a write-ahead log that could not be merged (a full disk) is never published. -#}
{% macro record_relation_row_counts(results) %}
    {%- if execute -%}
        {%- set tables = [] -%}
        {%- for result in results
            if result.status == 'success'
            and result.node.resource_type in ['model', 'seed']
            and result.node.config.materialized in ['table', 'incremental', 'seed'] -%}
            {%- do tables.append(result.node) -%}
        {%- endfor -%}
        create schema if not exists audit;
        create or replace table audit.relation_row_counts (
            schema_name varchar not null,
            relation_name varchar not null,
            row_count bigint not null
        );
        {% for node in tables -%}
        insert into audit.relation_row_counts
        select {{ sql_literal(node.schema) }}, {{ sql_literal(node.alias) }}, count(*)
        from {{ adapter.quote(node.schema) }}.{{ adapter.quote(node.alias) }};
        {% endfor -%}
        comment on table audit.relation_row_counts is 'Rows of every table the build wrote, counted by dbt at the end of its run; the build checks the published file against it.';
        comment on column audit.relation_row_counts.schema_name is 'Schema of the table.';
        comment on column audit.relation_row_counts.relation_name is 'Name of the table.';
        comment on column audit.relation_row_counts.row_count is 'Its rows when dbt finished writing it.';
    {%- endif -%}
{% endmacro %}
