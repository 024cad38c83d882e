-- After a format's load (load_csv_lines.sql or load_parquet_file.sql): the other format's table
-- is created empty, so that every build has the same raw.* and dbt reads the one raw.artists, a
-- view that gives every row of either format as text in the 14 columns.
--
-- Rendered with columns (the source_columns var: name and type), parquet_types (the DuckDB type
-- of each column of raw.parquet_rows) and sources (the sources of the staging YAML, whose
-- descriptions become the raw.* comments).
{%- import 'csv_fields.sql' as csv %}
{%- macro sql_text(value) -%}
    '{{ value | replace("'", "''") }}'
{%- endmacro %}
{#- A Parquet value as the text staging validates. A whole float (pandas writes a count column
    with a missing value as DOUBLE) is written without its fraction or exponent, so that 1e+20 is
    a number too large, not "not a number"; every other value is DuckDB's text of it. -#}
{%- macro parquet_text(column) -%}
    {%- set column_type = parquet_types[column.name] -%}
    {%- if column_type == 'VARCHAR' -%}
        {{ column.name }}
    {%- elif column.type == 'integer' and column_type in ('DOUBLE', 'FLOAT') -%}
        case
            when isfinite({{ column.name }}) and {{ column.name }} = trunc({{ column.name }})
                then coalesce(try_cast({{ column.name }} as hugeint)::varchar, {{ column.name }}::varchar)
            else {{ column.name }}::varchar
        end
    {%- else -%}
        cast({{ column.name }} as varchar)
    {%- endif -%}
{%- endmacro %}
create table if not exists raw.source_lines (source_file varchar, line_number bigint, line_text varchar);

create table if not exists raw.parquet_rows (
    source_file varchar,
    line_number bigint,
    file_row_number bigint,
    {%- for column in columns %}
    {{ column.name }} varchar{{ "," if not loop.last }}
    {%- endfor %}
);

create or replace view raw.artists as
with csv_header as (
    select column_position, normalized_name
    from raw.source_header
    where source_file in (select source_file from raw.source_files where source_format = 'csv')
),

header_positions as (
    select
        {%- for column in columns %}
        min(column_position) filter (where normalized_name = '{{ column.name }}') as {{ column.name }}_position,
        {%- endfor %}
        count(*) as header_field_count
    from csv_header
),

-- the regex that honours quotes runs only on lines that hold one; the rest split on commas
plain_lines as (
    select source_file, line_number, line_text, true as quotes_balanced, string_split(line_text, ',') as fields
    from raw.source_lines
    where line_number > 1 and not contains(line_text, '"')
),

quoted_lines as (
    select source_file, line_number, line_text, {{ csv.quoted_pieces('line_text') }} as pieces
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
        {{ csv.unquoted_fields('pieces') }} as fields
    from quoted_lines
),

line_fields as (
    select source_file, line_number, line_text, quotes_balanced, fields from plain_lines
    union all
    select source_file, line_number, line_text, quotes_balanced, fields from quoted_line_fields
),

csv_rows as (
    select
        line_fields.source_file,
        line_fields.line_number,
        line_fields.line_number as file_row_number,
        line_fields.line_text,
        len(line_fields.fields) as field_count,
        header_positions.header_field_count,
        line_fields.quotes_balanced,
        {%- for column in columns %}
        line_fields.fields[header_positions.{{ column.name }}_position] as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
    from line_fields
    cross join header_positions
),

-- a Parquet row has no line: every column of its file is there, and nothing is quoted
parquet_row_texts as (
    select
        source_file,
        line_number,
        file_row_number,
        null::varchar as line_text,
        null::bigint as field_count,
        null::bigint as header_field_count,
        null::boolean as quotes_balanced,
        {%- for column in columns %}
        {{ parquet_text(column) }} as {{ column.name }}{{ "," if not loop.last }}
        {%- endfor %}
    from raw.parquet_rows
)

select
    source_file, line_number, file_row_number, line_text, field_count, header_field_count, quotes_balanced,
    {%- for column in columns %}
    {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
from csv_rows
union all
select
    source_file, line_number, file_row_number, line_text, field_count, header_field_count, quotes_balanced,
    {%- for column in columns %}
    {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
from parquet_row_texts;

-- the descriptions live in the sources of dbt_project/models/staging/_sources.yml, the one place
-- dbt's docs read them from too; raw.artists is the one view among them
{%- set raw_views = ['artists'] %}
{%- for table in (sources | selectattr('name', 'equalto', 'raw') | first).tables %}
comment on {{ 'view' if table.name in raw_views else 'table' }} raw.{{ table.name }} is {{ sql_text(table.description) }};
{%- for column in table.columns %}
comment on column raw.{{ table.name }}.{{ column.name }} is {{ sql_text(column.description) }};
{%- endfor %}
{%- endfor %}
