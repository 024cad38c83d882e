-- After every Parquet file of the input is in raw.parquet_rows: their columns and the files
-- themselves, from lists bound as parameters (header_files, positions, names, normalized_names
-- and types: one entry per column of every file; files and row_counts: one per file).
create or replace table raw.source_header as
select
    unnest($header_files) as source_file,
    unnest($positions)::integer as column_position,
    unnest($names) as column_name,
    unnest($normalized_names) as normalized_name,
    unnest($types) as column_type;

create or replace table raw.source_files as
select
    unnest($files) as source_file,
    'parquet' as source_format,
    'none' as compression,
    unnest($row_counts)::bigint as row_count;
