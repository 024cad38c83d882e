{#- A categorical value as the one group it names, however it was typed: invisible format
    characters (Unicode Cf: zero-width space, byte-order mark, direction marks and overrides) removed,
    every run of white space (Unicode White_Space: tabs, line breaks, no-break and ideographic spaces)
    made one space, trimmed, and composed (NFC), so that "Female", "Female" + U+200B and "Female"
    with a no-break space, or an accent typed as one character or as a letter and a combining mark,
    are one group. The format characters go first: one between a letter and its mark would keep
    NFC from composing them. -#}
{% macro categorical_text(column) -%}
    case
        -- printable ASCII words with single spaces between (nearly every value) are already normal;
        -- at 5 million artists the full expression on every value cost 8 s of CPU more than a trim,
        -- with this test first about 1 s
        when regexp_full_match({{ column }}, '[!-~]+( [!-~]+)*') then {{ column }}
        else nfc_normalize(trim(regexp_replace(
            regexp_replace({{ column }}, '\p{Cf}', '', 'g'), '[\t\n\v\f\r\x{85}\p{Z}]+', ' ', 'g'
        )))
    end
{%- endmacro %}
