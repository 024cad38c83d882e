-- a view: the artists are int_artist_rows_validated's valid lines, and copying them into a table
-- of their own cost seconds per million artists for no reader's gain
{{ config(materialized='view') }}

with validated_rows as (
    select
        source_file,
        line_number,
        {%- for column in var('input_columns') %}
        {{ column.name }},
        {%- endfor %}
        reason_code
    from {{ ref('int_artist_rows_validated') }}
),

valid_artists as (
    select
        {%- for column in var('input_columns') %}
        {{ column.name }},
        {%- endfor %}
        source_file,
        line_number
    from validated_rows
    where reason_code is null
)

select * from valid_artists
