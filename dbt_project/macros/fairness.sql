{#- The bounds of the Wilson score interval for k successes out of n (n > 0). -#}
{% macro fairness_wilson_bound(successes, trials, sign) -%}
    (
        ({{ successes }}::double / {{ trials }} + {{ var('rate_interval_z') }} ^ 2 / (2 * {{ trials }}))
        {{ sign }} {{ var('rate_interval_z') }} * sqrt(
            ({{ successes }}::double / {{ trials }}) * (1 - {{ successes }}::double / {{ trials }}) / {{ trials }}
            + {{ var('rate_interval_z') }} ^ 2 / (4 * {{ trials }}::double * {{ trials }})
        )
    ) / (1 + {{ var('rate_interval_z') }} ^ 2 / {{ trials }})
{%- endmacro %}

{#- The Wilson score interval of successes out of trials as two columns, <name>_wilson_low and
    <name>_wilson_high, clipped to [0, 1]; null when trials is 0. -#}
{% macro fairness_wilson_columns(successes, trials, name) -%}
    case when {{ trials }} > 0 then greatest(0, {{ fairness_wilson_bound(successes, trials, '-') }}) end
            as {{ name }}_wilson_low,
        case when {{ trials }} > 0 then least(1, {{ fairness_wilson_bound(successes, trials, '+') }}) end
            as {{ name }}_wilson_high
{%- endmacro %}

{#- Newcombe's hybrid score interval on the difference of two rates (statsmodels'
    confint_proportions_2indep(compare='diff', method='newcomb')) from each rate's Wilson columns
    (fairness_wilson_columns): rate_difference_ci_low and rate_difference_ci_high. -#}
{% macro fairness_newcombe_difference_columns(rate, name, other_rate, other_name) -%}
    ({{ rate }} - {{ other_rate }})
        - sqrt(({{ rate }} - {{ name }}_wilson_low) ^ 2 + ({{ other_name }}_wilson_high - {{ other_rate }}) ^ 2)
            as rate_difference_ci_low,
        ({{ rate }} - {{ other_rate }})
        + sqrt(({{ other_rate }} - {{ other_name }}_wilson_low) ^ 2 + ({{ name }}_wilson_high - {{ rate }}) ^ 2)
            as rate_difference_ci_high
{%- endmacro %}

{#- A bound of the normal (z) interval of a mean from its sample standard deviation (ddof 1), z of
    var rate_interval_confidence (statsmodels' zconfint_mean); null below two values. -#}
{% macro normal_mean_bound(mean, std, n, sign) -%}
    case when {{ n }} >= 2 then {{ mean }} {{ sign }} {{ var('rate_interval_z') }} * {{ std }} / sqrt({{ n }}) end
{%- endmacro %}

{#- The attributes as text, the column list of an import CTE over features.artist_features
    (`"gender"::varchar as "gender", ...`; no comma after the last). -#}
{% macro fairness_attribute_columns(attributes) -%}
    {%- for attribute in attributes %}
        {{ adapter.quote(attribute) }}::varchar as {{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- The attribute columns as they are, quoted, comma-separated; relation: the CTE or alias they are read from. -#}
{% macro fairness_attribute_names(attributes, relation=none) -%}
    {%- for attribute in attributes %}
        {% if relation %}{{ relation }}.{% endif %}{{ adapter.quote(attribute) }}{% if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- `group by` of one grouping set per attribute: one pass over the artists aggregates every attribute.
    keys: columns every set also groups by (feature_set, model_name: one set per model x attribute). -#}
{% macro fairness_grouping_sets(attributes, keys=[]) -%}
    grouping sets ({% for attribute in attributes %}({% for key in keys %}{{ key }}, {% endfor %}{{ adapter.quote(attribute) }}){% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}

{#- In a query grouped by fairness_grouping_sets: the attribute a row's grouping set is by. -#}
{% macro fairness_grouping_set_attribute(attributes) -%}
    case
        {%- for attribute in attributes %}
        when grouping({{ adapter.quote(attribute) }}) = 0 then {{ sql_literal(attribute) }}
        {%- endfor %}
    end
{%- endmacro %}

{#- ... whether that group is undisclosed: an artist of it has var undisclosed_label in one of the
    attribute's member columns (var fairness_attribute_members: an intersection's columns, any other
    attribute itself); never for the artists without a value. -#}
{% macro fairness_grouping_set_is_undisclosed(attributes) -%}
    coalesce(case
        {%- for attribute in attributes %}
        when grouping({{ adapter.quote(attribute) }}) = 0 then bool_or(
            {%- for member in var('fairness_attribute_members')[attribute] %}
            {{ adapter.quote(member) }} = {{ sql_literal(var('undisclosed_label')) }}{{ " or" if not loop.last }}
            {%- endfor %})
        {%- endfor %}
    end, false)
{%- endmacro %}

{#- ... and the group: that attribute's value. -#}
{% macro fairness_grouping_set_group_value(attributes) -%}
    case
        {%- for attribute in attributes %}
        when grouping({{ adapter.quote(attribute) }}) = 0 then {{ adapter.quote(attribute) }}
        {%- endfor %}
    end
{%- endmacro %}

{#- The attributes that some artist of features.artist_features has no value of (asked of the
    warehouse when the model runs; none at parse time or before the features are built). -#}
{% macro fairness_attributes_with_nulls(attributes) -%}
    {%- if not execute or load_relation(ref('artist_features')) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set counts_query -%}
        select
            {%- for attribute in attributes %}
            count(*) > count({{ adapter.quote(attribute) }}){% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ ref('artist_features') }}
    {%- endset -%}
    {%- set has_nulls = run_query(counts_query).rows[0] -%}
    {%- set nullable = [] -%}
    {%- for attribute in attributes -%}
        {%- if has_nulls[loop.index0] -%}
            {%- do nullable.append(attribute) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(nullable) }}
{%- endmacro %}

{#- Every table keyed by attribute x group_value has is_undisclosed: the group's flag in
    fairness.int_attribute_group_disclosure (a group it lacks is disclosed), through this join. A
    table with a second group column (a counterfactual group) joins it again under another alias. -#}
{% macro undisclosed_flag(alias='attribute_group_disclosure') -%}
    coalesce({{ alias }}.is_undisclosed, false)
{%- endmacro %}

{% macro join_undisclosed_flag(relation, group_column='group_value', alias='attribute_group_disclosure') -%}
    left join {{ ref('int_attribute_group_disclosure') }} as {{ alias }}
        on {{ relation }}.attribute = {{ alias }}.attribute
        and {{ relation }}.{{ group_column }} = {{ alias }}.group_value
{%- endmacro %}
