-- Loads one CSV file as text, one row per physical line, so that nothing is dropped: lines with
-- too many or too few fields, or broken quoting, are kept with their original text for the
-- quarantine. Parameters: input_path (the file) and source_file (the name recorded per row).
create schema if not exists raw;

create or replace temp table source_lines as
with file_text as (
    select
        -- one final newline ends the last line; it does not start an empty one
        regexp_replace(replace(content, chr(13) || chr(10), chr(10)), '\n$', '') as content
    from read_text($input_path)
),

file_lines as (
    select string_split(content, chr(10)) as lines
    from file_text
),

numbered_lines as (
    select
        generate_subscripts(lines, 1)::bigint as line_number,
        unnest(lines) as line_text
    from file_lines
)

select
    line_number,
    -- a byte-order mark is an encoding artefact, not part of the first column's name
    case when line_number = 1 then ltrim(line_text, chr(65279)) else line_text end as line_text
from numbered_lines;

create or replace temp table source_fields as
with quoted_split as (
    select
        line_number,
        line_text,
        case
            when contains(line_text, '"')
                then regexp_extract_all(',' || line_text, ',("(?:[^"]|"")*"|[^,"]*)', 1)
            else string_split(line_text, ',')
        end as quoted_fields
    from source_lines
)

select
    line_number,
    line_text,
    -- the fields put back together must give the line again, or a quote was left open
    length(line_text) + 1 = list_sum(list_transform(quoted_fields, lambda f: length(f) + 1)) as quotes_balanced,
    list_transform(
        quoted_fields,
        lambda f: case
            when length(f) >= 2 and starts_with(f, '"') and ends_with(f, '"')
                then replace(f[2:-2], '""', '"')
            else f
        end
    ) as fields
from quoted_split;

create or replace table raw.source_header as
select
    $source_file as source_file,
    generate_subscripts(fields, 1)::integer as column_position,
    unnest(fields) as column_name,
    lower(trim(unnest(fields))) as normalized_name
from source_fields
where line_number = 1;

create or replace table raw.artists as
with header_positions as (
    select
        {%- for column in columns %}
        min(column_position) filter (where normalized_name = '{{ column }}') as {{ column }}_position,
        {%- endfor %}
        count(*) as header_field_count
    from raw.source_header
)

select
    $source_file as source_file,
    source_fields.line_number,
    source_fields.line_text,
    len(source_fields.fields) as field_count,
    header_positions.header_field_count,
    source_fields.quotes_balanced,
    {%- for column in columns %}
    source_fields.fields[header_positions.{{ column }}_position] as {{ column }}{{ "," if not loop.last }}
    {%- endfor %}
from source_fields
cross join header_positions
where source_fields.line_number > 1
order by source_fields.line_number;

comment on table raw.artists is 'The input CSV as text: one row per physical line after the header, nothing dropped; the 14 required columns matched by header name (null when a short line lacks the field).';
comment on column raw.artists.source_file is 'File name of the input CSV.';
comment on column raw.artists.line_number is '1-based physical line number in the file (the header is line 1).';
comment on column raw.artists.line_text is 'The line exactly as it was in the file.';
comment on column raw.artists.field_count is 'Number of fields the line splits into (RFC 4180 quoting).';
comment on column raw.artists.header_field_count is 'Number of fields in the header line.';
comment on column raw.artists.quotes_balanced is 'False when a quoted field is not closed or has text after its closing quote.';
comment on table raw.source_header is 'The header line of the input file, one row per column: as written and normalised (trimmed, lower case).';
