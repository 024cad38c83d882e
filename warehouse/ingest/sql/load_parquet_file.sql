-- Loads one Parquet file of the input into raw.parquet_rows: the first file creates the table,
-- the others are appended. Parameters: input_path, source_file (the name recorded per row) and
-- first_line_number (the line_number of the file's first row: the rows of the files before it
-- come first). Rendered with columns: per required column, its name and the file's own column,
-- a quoted identifier, cast to text when the files of the input disagree on its type.
--
-- The values keep the file's types (a stored BIGINT costs far less than its text); raw.artists
-- gives them to staging as text.
{{ 'create table raw.parquet_rows as' if first_file else 'insert into raw.parquet_rows' }}
select
    $source_file as source_file,
    $first_line_number + file_row_number as line_number,
    file_row_number + 1 as file_row_number,
    {%- for column in columns %}
    {{ 'cast(' ~ column.file_column ~ ' as varchar)' if column.as_text else column.file_column }} as {{ column.name }}{{ "," if not loop.last }}
    {%- endfor %}
from read_parquet($input_path, file_row_number = true, hive_partitioning = false);
