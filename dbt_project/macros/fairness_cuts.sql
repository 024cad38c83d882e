{#- The cuts of var fairness_cuts that fairness.threshold_sweep selects artists by, in the var's order:
    each a dict of
      name      'p75' for {percentile: 75} ('p99.5' for 99.5), 'top_100' for {top_n: 100};
      kind      'percentile' or 'top_n';
      value     the percentile (a number) or n (a whole number);
      position  1-based position in the var;
      column    the cut's suffix in wide column names (cut_1, cut_2, ...: names built from the
                value would hold a dot). -#}
{% macro fairness_cuts() -%}
    {%- set cuts = [] -%}
    {%- for item in var('fairness_cuts') -%}
        {%- if 'percentile' in item -%}
            {%- set value = item['percentile'] | float -%}
            {%- set shown = value | int if value == (value | int) else value -%}
            {%- do cuts.append({'name': 'p' ~ shown, 'kind': 'percentile', 'value': value,
                                'position': loop.index, 'column': 'cut_' ~ loop.index}) -%}
        {%- else -%}
            {%- set value = item['top_n'] | int -%}
            {%- do cuts.append({'name': 'top_' ~ value, 'kind': 'top_n', 'value': value,
                                'position': loop.index, 'column': 'cut_' ~ loop.index}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(cuts) }}
{%- endmacro %}
