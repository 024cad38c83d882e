{#- How a CSV line splits into fields (RFC 4180), shared by the header's load and raw.artists. -#}
{%- macro quoted_pieces(line) -%}
    regexp_extract_all(',' || {{ line }}, ',("(?:[^"]|"")*"|[^,"]*)', 1)
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
