{#- One row per quarantine reason and column: how many lines it rejected, the first of them and
    its message. -#}
{{ config(materialized='view') }}

with quarantined as (
    select line_number, reason_code, reason_column, reason_message from {{ ref('quarantined_artists') }}
),

reasons as (
    select
        reason_code,
        reason_column,
        count(*) as rows_quarantined,
        min(line_number) as first_line,
        arg_min(reason_message, line_number) as example_message
    from quarantined
    group by reason_code, reason_column
)

select * from reasons
