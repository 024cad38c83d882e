{%- set integer_columns = source_columns_of_type('integer') -%}
{%- set text_columns = source_columns_of_type('text') -%}
{%- set categorical_columns = categorical_source_columns() -%}
{%- set all_columns = var('input_columns') | map(attribute='name') | list -%}
{#- a blank or undisclosed value of these is the undisclosed group, never a reason to quarantine -#}
{%- set disclosure_columns = var('disclosure_columns') -%}

with raw_rows as (
    select
        source_file,
        line_number,
        line_text,
        field_count,
        header_field_count,
        quotes_balanced,
        {%- for column in categorical_columns %}
        {{ column }} as {{ column }}_as_written,
        {%- endfor %}
        {%- for column in all_columns %}
        {%- if column in categorical_columns %}
        {{ categorical_text(column) }} as {{ column }}_text{{ "," if not loop.last }}
        {%- else %}
        trim({{ column }}) as {{ column }}_text{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from {{ source('raw', 'artists') }}
),

field_problems as (
    select
        *,
        case
            -- a blank line has no comma: only such lines are trimmed (a case tests its conditions left to right)
            when field_count = 1 and trim(line_text) = '' then 'blank_line'
            when not quotes_balanced then 'malformed_quotes'
            when field_count < header_field_count then 'too_few_fields'
            when field_count > header_field_count then 'too_many_fields'
        end as line_problem,
        {%- for column in integer_columns %}
        {{ whole_number_problem(column ~ '_text') }} as {{ column }}_problem,
        {%- endfor %}
        {%- for column in text_columns %}
        {%- if column in disclosure_columns %}
        null::varchar as {{ column }}_problem,
        {%- else %}
        case when coalesce({{ column }}_text, '') = '' then 'missing_value' end as {{ column }}_problem,
        {%- endif %}
        {%- endfor %}
        -- raw.* keeps the text as written; the audit counts the categorical values staging changed
        {%- for column in categorical_columns %}
        ({{ column }}_text is distinct from {{ column }}_as_written)::integer +
        {%- endfor %}
        0 as categorical_values_normalized
    from raw_rows
),

first_field_problem as (
    select
        *,
        coalesce(line_problem{% for column in all_columns %}, {{ column }}_problem{% endfor %}) as field_reason_code,
        case
            when line_problem is not null then null
            {%- for column in all_columns %}
            when {{ column }}_problem is not null then '{{ column }}'
            {%- endfor %}
        end as field_reason_column,
        case
            when line_problem is not null then null
            {%- for column in all_columns %}
            when {{ column }}_problem is not null then {{ column }}_text
            {%- endfor %}
        end as field_offending_value
    from field_problems
),

typed_rows as (
    select
        source_file,
        line_number,
        line_text,
        field_count,
        header_field_count,
        field_reason_code,
        field_reason_column,
        field_offending_value,
        categorical_values_normalized,
        {%- for column in all_columns %}
        {%- if column in integer_columns %}
        case when {{ column }}_problem is null then {{ parse_whole_number(column ~ '_text') }} end as {{ column }}{{ "," if not loop.last }}
        {%- elif column in disclosure_columns %}
        {{ undisclosed_as_label(column ~ '_text') }} as {{ column }}{{ "," if not loop.last }}
        {%- else %}
        {{ column }}_text as {{ column }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from first_field_problem
),

-- the first valid line of an artist_id is the artist; later valid lines are duplicates. An
-- aggregate finds the repeated ids (usually none) far cheaper than a window over every line.
repeated_artist_ids as (
    select
        artist_id,
        min(line_number) as first_line_number
    from typed_rows
    where field_reason_code is null
    group by artist_id
    having count(*) > 1
),

duplicate_flags as (
    select
        typed_rows.*,
        coalesce(
            typed_rows.field_reason_code is null
            and typed_rows.line_number > repeated_artist_ids.first_line_number,
            false
        ) as is_duplicate
    from typed_rows
    left join repeated_artist_ids on typed_rows.artist_id = repeated_artist_ids.artist_id
),

reasoned_rows as (
    select
        *,
        case
            when field_reason_code is not null then field_reason_code
            when is_duplicate then 'duplicate_artist_id'
        end as reason_code,
        case
            when field_reason_code is not null then field_reason_column
            when is_duplicate then 'artist_id'
        end as reason_column,
        case
            when field_reason_code is not null then field_offending_value
            when is_duplicate then artist_id::varchar
        end as offending_value
    from duplicate_flags
),

-- the line's text is not copied: the quarantine reads the few lines it needs from raw.source_lines
validated_rows as (
    select
        source_file,
        line_number,
        reason_code,
        reason_column,
        offending_value,
        {{ reason_message('reason_code', 'reason_column', 'offending_value') }} as reason_message,
        categorical_values_normalized,
        {%- for column in all_columns %}
        {{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from reasoned_rows
)

select * from validated_rows
