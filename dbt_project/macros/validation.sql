{#- Why a trimmed text value cannot be a whole non-negative count, or null if it can. -#}
{% macro whole_number_problem(column) -%}
    case
        when {{ column }} is null or {{ column }} = '' then 'missing_value'
        -- plain digits (nearly every value) are whole and fit in 64 bits: skip the other checks
        when regexp_full_match({{ column }}, '[0-9]{1,18}') then null
        when regexp_full_match({{ column }}, '-\s*[0-9]*\.?[0-9]+') then 'negative_number'
        when regexp_full_match({{ column }}, '[0-9]*\.[0-9]*[1-9][0-9]*') then 'fractional_number'
        when not regexp_full_match({{ column }}, '[0-9]+(\.0*)?') then 'not_a_number'
        when {{ parse_whole_number(column) }} is null then 'number_out_of_range'
    end
{%- endmacro %}

{#- The whole count in a value that whole_number_problem accepted ('12', '12.' and '12.0' alike:
    DuckDB's cast takes a zero fraction; other values are never typed). -#}
{% macro parse_whole_number(column) -%}
    try_cast({{ column }} as bigint)
{%- endmacro %}

{#- Human wording of a reason code, for the quarantine's message column. -#}
{% macro reason_message(reason_code, reason_column, offending_value) -%}
    case {{ reason_code }}
        when 'blank_line' then 'the line is blank'
        when 'malformed_quotes' then 'a quoted field is not closed or has text after its closing quote'
        when 'too_few_fields' then 'the line has ' || field_count || ' fields but the header has ' || header_field_count
        when 'too_many_fields' then 'the line has ' || field_count || ' fields but the header has ' || header_field_count
        when 'missing_value' then {{ reason_column }} || ' is empty'
        when 'negative_number' then {{ reason_column }} || ' is negative (' || {{ offending_value }} || '); counts must be 0 or more'
        when 'fractional_number' then {{ reason_column }} || ' is not a whole number (' || {{ offending_value }} || ')'
        when 'not_a_number' then {{ reason_column }} || ' is not a number (' || {{ offending_value }} || ')'
        when 'number_out_of_range' then {{ reason_column }} || ' is too large for a 64-bit count (' || {{ offending_value }} || ')'
        when 'duplicate_artist_id' then 'artist_id ' || {{ offending_value }} || ' already appeared on an earlier line, which is kept'
    end
{%- endmacro %}

{#- A protected attribute's value, with a blank one or one of var undisclosed_values (trimmed, any
    case: var undisclosed_folded, derived by the build) given as var undisclosed_label. -#}
{% macro undisclosed_as_label(column) -%}
    case
        when coalesce({{ column }}, '') = ''
            or lower({{ column }}) in ({% for value in var('undisclosed_folded') %}{{ sql_literal(value) }}{{ ", " if not loop.last }}{% endfor %})
            then {{ sql_literal(var('undisclosed_label')) }}
        else {{ column }}
    end
{%- endmacro %}
