-- Loads one CSV file as text, one row per physical line, so that nothing is dropped: lines with
-- too many or too few fields, or broken quoting, are kept with their original text for the
-- quarantine. Parameters: input_path (the file, decompressed first when it was compressed),
-- source_file (the name recorded per row) and compression (as the file came).
--
-- Only the lines are stored (raw.source_lines); raw.artists (raw_artists.sql) is a view that
-- splits them into the 14 columns when it is read. Storing the split text as well cost more than
-- all of staging at 10 million lines, and staging reads it once.
{%- import 'csv_fields.sql' as csv %}
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
    select {{ csv.unquoted_fields(csv.quoted_pieces('line_text')) }} as fields
    from raw.source_lines
    where line_number = 1
)

select
    $source_file as source_file,
    generate_subscripts(fields, 1)::integer as column_position,
    unnest(fields) as column_name,
    -- the column each header feeds, set by the build once it has read them (warehouse/ingest/header.py)
    null::varchar as normalized_name,
    -- a CSV holds text: its columns have no type of their own
    null::varchar as column_type
from header_line;

create or replace table raw.source_files as
select
    $source_file as source_file,
    'csv' as source_format,
    $compression as compression,
    count(*) - 1 as row_count
from raw.source_lines;
