-- Loads one CSV file as text, one row per physical line, so that nothing is dropped: lines with
-- too many or too few fields, or broken quoting, are kept with their original text for the
-- quarantine. Parameters: input_path (the file) and source_file (the name recorded per row).
-- Rendered with columns (the 14 names) and sources (the sources of the staging YAML, whose
-- descriptions become the raw.* comments).
--
-- Only the lines are stored (raw.source_lines); raw.artists is a view that splits them into the
-- 14 columns when it is read. Storing the split text as well cost more than all of staging at
-- 10 million lines, and staging reads it once.
{%- macro quoted_pieces(line) -%}
    regexp_extract_all(',' || {{ line }}, ',("(?:[^"]|"")*"|[^,"]*)', 1)
{%- endmacro %}
{%- macro sql_text(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}
{%- macro unquoted_fields(pieces) -%}
    list_transform(
        {{ pieces }},
        lambda f: case
            when length(f) >= 2 and starts_with(f, '"') and ends_with(f, '"')
                then replace(f[2:-2], '""', '"')
            else f
        end
    )
{%- endmacro %}
create schema if not exists raw;

-- read_text gives the whole file as one value: it is cut into lines by one thread, so the lines
-- go to a temporary table first and are stored from there by all threads
create or replace temp table file_lines as
with file_pieces as (
    select string_split(content, chr(10)) as pieces
    from read_text($input_path)
),

numbered_pieces as (
    select
        generate_subscripts(pieces, 1)::bigint as line_number,
        unnest(pieces) as piece,
        len(pieces) as piece_count
    from file_pieces
),

lines as (
    select
        line_number,
        -- the CR of a CRLF ending is not part of the line
        if(ends_with(piece, chr(13)), piece[:-2], piece) as line_text,
        piece_count
    from numbered_pieces
)

select
    line_number,
    -- a byte-order mark is an encoding artefact, not part of the first column's name
    case when line_number = 1 then ltrim(line_text, chr(65279)) else line_text end as line_text
from lines
-- one final newline ends the last line; it does not start an empty one
where not (line_number = piece_count and line_text = '');

create or replace table raw.source_lines as
select
    $source_file as source_file,
    line_number,
    line_text
from file_lines;

create or replace table raw.source_header as
with header_line as (
    select {{ unquoted_fields(quoted_pieces('line_text')) }} as fields
    from raw.source_lines
    where line_number = 1
)

select
    $source_file as source_file,
    generate_subscripts(fields, 1)::integer as column_position,
    unnest(fields) as column_name,
    lower(trim(unnest(fields))) as normalized_name
from header_line;

create or replace view raw.artists as
with header_positions as (
    select
        {%- for column in columns %}
        min(column_position) filter (where normalized_name = '{{ column }}') as {{ column }}_position,
        {%- endfor %}
        count(*) as header_field_count
    from raw.source_header
),

-- the regex that honours quotes runs only on lines that hold one; the rest split on commas
plain_lines as (
    select source_file, line_number, line_text, true as quotes_balanced, string_split(line_text, ',') as fields
    from raw.source_lines
    where line_number > 1 and not contains(line_text, '"')
),

quoted_lines as (
    select source_file, line_number, line_text, {{ quoted_pieces('line_text') }} as pieces
    from raw.source_lines
    where line_number > 1 and contains(line_text, '"')
),

quoted_line_fields as (
    select
        source_file,
        line_number,
        line_text,
        -- the pieces put back together must give the line again, or a quote was left open
        length(line_text) + 1 = list_sum(list_transform(pieces, lambda f: length(f) + 1)) as quotes_balanced,
        {{ unquoted_fields('pieces') }} as fields
    from quoted_lines
),

line_fields as (
    select source_file, line_number, line_text, quotes_balanced, fields from plain_lines
    union all
    select source_file, line_number, line_text, quotes_balanced, fields from quoted_line_fields
)

select
    line_fields.source_file,
    line_fields.line_number,
    line_fields.line_text,
    len(line_fields.fields) as field_count,
    header_positions.header_field_count,
    line_fields.quotes_balanced,
    {%- for column in columns %}
    line_fields.fields[header_positions.{{ column }}_position] as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
from line_fields
cross join header_positions;

-- the descriptions live in the sources of dbt_project/models/staging/_staging.yml, the one place
-- dbt's docs read them from too; raw.artists is the one view among them
{%- set raw_views = ['artists'] %}
{%- for table in (sources | selectattr('name', 'equalto', 'raw') | first).tables %}
comment on {{ 'view' if table.name in raw_views else 'table' }} raw.{{ table.name }} is {{ sql_text(table.description) }};
{%- for column in table.columns %}
comment on column raw.{{ table.name }}.{{ column.name }} is {{ sql_text(column.description) }};
{%- endfor %}
{%- endfor %}
