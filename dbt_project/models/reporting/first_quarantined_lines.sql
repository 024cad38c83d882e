{#- One row per quarantined line among the first quarantined_lines_shown in file order (the report
    lists them; audit.quarantined_artists has all of them). -#}
{{ config(materialized='view') }}

with quarantined as (
    select line_number, reason_code, reason_column, offending_value, original_text
    from {{ ref('quarantined_artists') }}
),

limits as (
    select quarantined_lines_shown from {{ ref('report_drawing_limits') }}
),

numbered_lines as (
    select
        quarantined.line_number,
        quarantined.reason_code,
        quarantined.reason_column,
        quarantined.offending_value,
        quarantined.original_text,
        row_number() over (order by quarantined.line_number) as line_position,
        limits.quarantined_lines_shown
    from quarantined
    cross join limits
),

first_quarantined_lines as (
    select
        line_number,
        reason_code,
        reason_column,
        offending_value,
        original_text
    from numbered_lines
    where line_position <= quarantined_lines_shown
)

select * from first_quarantined_lines
