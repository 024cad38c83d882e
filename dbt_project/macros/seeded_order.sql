{#- A seeded pseudo-random order for an integer key, the same in every DuckDB release: Knuth's
    multiplicative hash in HUGEINT arithmetic (no overflow for any BIGINT id). DuckDB's hash()
    is not used because its values change between releases: the same input must draw the same
    sample whichever DuckDB built the warehouse. -#}
{% macro seeded_order(key, seed) -%}
    ((({{ key }})::hugeint * 2654435761 + ({{ seed }})) % 4294967296)
{%- endmacro %}
