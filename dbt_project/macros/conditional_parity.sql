{#- The columns an attribute or control stands for: an intersection's member columns
    (gender_ethnicity -> [gender, ethnicity]), any other name itself. -#}
{% macro fairness_member_columns(name) -%}
    {%- for intersection, members in fairness_intersections() if intersection == name -%}
        {{ return(members | list) }}
    {%- endfor -%}
    {{ return([name]) }}
{%- endmacro %}

{#- Every (attribute, control) pair of fairness_attributes() x var fairness_controls that shares
    no column: conditioning gender on gender, or gender_ethnicity on gender, leaves one group per
    stratum and says nothing. warehouse.settings.checks.fairness_control_pairs is the same rule in Python. -#}
{% macro fairness_control_pairs() -%}
    {%- set pairs = [] -%}
    {%- for attribute in fairness_attributes() -%}
        {%- set attribute_columns = fairness_member_columns(attribute) -%}
        {%- for control in var('fairness_controls') -%}
            {%- set shared = fairness_member_columns(control) | select('in', attribute_columns) | list -%}
            {%- if shared | length == 0 -%}
                {%- do pairs.append((attribute, control)) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(pairs) }}
{%- endmacro %}

{#- The grouping sets of those pairs, each unordered pair of columns once: (genre, label_type)
    and (label_type, genre) are one set, read twice. -#}
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
