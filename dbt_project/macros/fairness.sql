{#- A config value (an attribute name, a group from a var) as a SQL string literal, quotes escaped. -#}
{% macro fairness_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- z of the two-sided interval for var('rate_interval_confidence'): 0.95 -> 1.959963984540054.
    Jinja has no inverse normal CDF, so the var holds the z of the usual levels. -#}
{% macro fairness_interval_z() -%}
    {%- set z_by_level = {0.9: 1.6448536269514722, 0.95: 1.959963984540054, 0.99: 2.5758293035489004} -%}
    {%- set level = var('rate_interval_confidence') | float -%}
    {%- if level not in z_by_level -%}
        {{ exceptions.raise_compiler_error("var rate_interval_confidence must be one of 0.9, 0.95, 0.99, got " ~ level) }}
    {%- endif -%}
    {{ z_by_level[level] }}
{%- endmacro %}

{#- The bounds of the Wilson score interval for k successes out of n (n > 0). -#}
{% macro fairness_wilson_bound(successes, trials, sign) -%}
    (
        ({{ successes }}::double / {{ trials }} + {{ fairness_interval_z() }} ^ 2 / (2 * {{ trials }}))
        {{ sign }} {{ fairness_interval_z() }} * sqrt(
            ({{ successes }}::double / {{ trials }}) * (1 - {{ successes }}::double / {{ trials }}) / {{ trials }}
            + {{ fairness_interval_z() }} ^ 2 / (4 * {{ trials }}::double * {{ trials }})
        )
    ) / (1 + {{ fairness_interval_z() }} ^ 2 / {{ trials }})
{%- endmacro %}
