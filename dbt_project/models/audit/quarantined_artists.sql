with validated_rows as (
    select
        source_file,
        line_number,
        reason_code,
        reason_column,
        offending_value,
        reason_message
    from {{ ref('int_artist_rows_validated') }}
),

source_lines as (
    select
        source_file,
        line_number,
        line_text
    from {{ source('raw', 'source_lines') }}
),

quarantined_rows as (
    select
        validated_rows.source_file,
        validated_rows.line_number,
        source_lines.line_text as original_text,
        validated_rows.reason_code,
        validated_rows.reason_column,
        validated_rows.offending_value,
        validated_rows.reason_message
    from validated_rows
    inner join source_lines
        on validated_rows.source_file = source_lines.source_file and validated_rows.line_number = source_lines.line_number
    where validated_rows.reason_code is not null
)

select * from quarantined_rows
order by line_number
