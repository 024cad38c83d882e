with validated_rows as (
    select
        source_file,
        line_number,
        line_text,
        reason_code,
        reason_column,
        offending_value,
        reason_message
    from {{ ref('int_artist_rows_validated') }}
),

quarantined_rows as (
    select
        source_file,
        line_number,
        line_text as original_text,
        reason_code,
        reason_column,
        offending_value,
        reason_message
    from validated_rows
    where reason_code is not null
)

select * from quarantined_rows
