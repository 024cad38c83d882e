{%- set all_columns = var('input_columns') | map(attribute='name') | list -%}

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

-- empty unless the input was Parquet; joined after the filter, so that only the quarantined
-- rows are written out as text
parquet_rows as (
    select
        source_file,
        line_number,
        file_row_number,
        {%- for column in all_columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ source('raw', 'parquet_rows') }}
),

quarantined_rows as (
    select
        validated_rows.source_file,
        validated_rows.line_number,
        -- a CSV's row is its line; a Parquet file's rows are counted from 1 in each file
        coalesce(parquet_rows.file_row_number, validated_rows.line_number) as file_row_number,
        case
            when parquet_rows.line_number is null then source_lines.line_text
            -- text, not DuckDB's JSON type: a CSV line is no JSON document
            else json_object(
                {%- for column in all_columns %}
                '{{ column }}', parquet_rows.{{ column }}{{ "," if not loop.last }}
                {%- endfor %}
            )::varchar
        end as original_text,
        validated_rows.reason_code,
        validated_rows.reason_column,
        validated_rows.offending_value,
        validated_rows.reason_message
    from validated_rows
    left join source_lines
        on validated_rows.source_file = source_lines.source_file and validated_rows.line_number = source_lines.line_number
    left join parquet_rows
        on validated_rows.source_file = parquet_rows.source_file and validated_rows.line_number = parquet_rows.line_number
    where validated_rows.reason_code is not null
)

select * from quarantined_rows
order by line_number
