{#- The grouping sets of the (attribute, control) pairs of var fairness_control_pairs (derived by the
    build: an attribute is never conditioned on a control it shares a column with), each unordered
    pair of columns once: (genre, label_type) and (label_type, genre) are one set, read twice. -#}
{% macro fairness_control_grouping_sets(pairs) -%}
    {%- set sets = [] -%}
    {%- for attribute, control in pairs -%}
        {%- set columns = [attribute, control] | sort -%}
        {%- if columns not in sets -%}
            {%- do sets.append(columns) -%}
        {%- endif -%}
    {%- endfor -%}
    grouping sets ({% for columns in sets %}({{ adapter.quote(columns[0]) }}, {{ adapter.quote(columns[1]) }}){% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
