{#- One row per outcome x attribute x alpha (var inequality_alphas): the generalized entropy index
    GE(alpha) of the outcome over the artists with a positive outcome, split into its between-group
    part (every artist given their group's mean) and the within-group rest. Closed form from sums per
    group, one pass over the artists (a grouping set per attribute):
    GE(alpha) = (sum (y / mu)^alpha / n - 1) / (alpha (alpha - 1)), GE(1) = sum y ln y / (n mu) - ln mu,
    GE(0) = ln mu - sum ln y / n; the between part the same over the group means, weighted by size. -#}
{%- set outcomes = var('outcomes') -%}
{%- set attributes = var('fairness_attributes') -%}
{%- set alphas = var('inequality_alphas') -%}

with artist_outcome_flags as (
    select * from {{ ref('int_artist_outcome_flags') }}
),

group_sums as (
    select
        {{ fairness_grouping_set_attribute(attributes) }} as attribute,
        {{ fairness_grouping_set_group_value(attributes) }} as group_value,
        {%- for outcome in outcomes %}
        {%- set value = adapter.quote(outcome) ~ '::double' %}
        count(*) filter (where {{ value }} > 0) as {{ outcome_column(outcome, 'positive_n') }},
        count(*) filter (where not {{ value }} > 0) as {{ outcome_column(outcome, 'zero_n') }},
        sum({{ value }}) filter (where {{ value }} > 0) as {{ outcome_column(outcome, 'sum') }},
        -- a filter does not keep DuckDB from evaluating ln(0) on the rows it leaves out: a case does
        sum(case when {{ value }} > 0 then ln({{ value }}) end) as {{ outcome_column(outcome, 'log_sum') }},
        sum(case when {{ value }} > 0 then {{ value }} * ln({{ value }}) end)
            as {{ outcome_column(outcome, 'value_log_sum') }},
        {%- for alpha in alphas %}
        sum(pow({{ value }}, {{ alpha | float }})) filter (where {{ value }} > 0)
            as {{ outcome_column(outcome, 'power_sum_' ~ loop.index) }}{{ "," if not loop.last }}
        {%- endfor %}{{ "," if not loop.last }}
        {%- endfor %}
    from artist_outcome_flags
    -- sqlfluff's duckdb dialect does not parse grouping sets
    group by {{ fairness_grouping_sets(attributes) }}  -- noqa: PRS
),

group_alpha_sums as (
    {%- for outcome in outcomes %}
    {%- set outcome_loop = loop %}
    {%- for alpha in alphas %}
    select
        {{ sql_literal(outcome) }} as outcome,
        attribute,
        {{ alpha | float }}::double as alpha,
        group_value,
        {{ outcome_column(outcome, 'positive_n') }} as positive_n,
        {{ outcome_column(outcome, 'zero_n') }} as zero_n,
        {{ outcome_column(outcome, 'sum') }} as value_sum,
        {{ outcome_column(outcome, 'log_sum') }} as log_sum,
        {{ outcome_column(outcome, 'value_log_sum') }} as value_log_sum,
        {{ outcome_column(outcome, 'power_sum_' ~ loop.index) }} as power_sum
    from group_sums
    {% if not (loop.last and outcome_loop.last) %}union all{% endif %}
    {%- endfor %}
    {%- endfor %}
),

attribute_means as (
    select
        outcome,
        attribute,
        alpha,
        sum(positive_n)::bigint as n,
        sum(zero_n)::bigint as excluded_zero_n,
        count(*) filter (where positive_n > 0) as n_groups,
        sum(value_sum) / nullif(sum(positive_n), 0) as mean_outcome
    from group_alpha_sums
    group by outcome, attribute, alpha
),

group_terms as (
    select
        group_alpha_sums.*,
        attribute_means.n,
        attribute_means.mean_outcome,
        -- the group mean relative to the overall mean: what every artist of the group is given
        group_alpha_sums.value_sum / group_alpha_sums.positive_n / attribute_means.mean_outcome as relative_mean
    from group_alpha_sums
    inner join attribute_means
        on
            group_alpha_sums.outcome = attribute_means.outcome
            and group_alpha_sums.attribute = attribute_means.attribute
            and group_alpha_sums.alpha = attribute_means.alpha
    where group_alpha_sums.positive_n > 0
),

indices as (
    select
        outcome,
        attribute,
        alpha,
        case
            when alpha = 0 then ln(any_value(mean_outcome)) - sum(log_sum) / any_value(n)
            when alpha = 1
                then sum(value_log_sum) / (any_value(n) * any_value(mean_outcome)) - ln(any_value(mean_outcome))
            else (sum(power_sum) / pow(any_value(mean_outcome), alpha) / any_value(n) - 1) / (alpha * (alpha - 1))
        end as total,
        case
            when alpha = 0 then -sum(positive_n * ln(relative_mean)) / any_value(n)
            when alpha = 1 then sum(positive_n * relative_mean * ln(relative_mean)) / any_value(n)
            else sum(positive_n * (pow(relative_mean, alpha) - 1)) / any_value(n) / (alpha * (alpha - 1))
        end as between_group
    from group_terms
    group by outcome, attribute, alpha
),

inequality_decomposition as (
    select
        attribute_means.outcome,
        attribute_means.attribute,
        attribute_means.alpha,
        attribute_means.n,
        attribute_means.excluded_zero_n,
        attribute_means.n_groups,
        attribute_means.mean_outcome,
        -- both are sums of non-negative terms: a rounding below 0 is 0
        greatest(0, indices.total) as total,
        greatest(0, indices.between_group) as between_group,
        greatest(0, indices.total) - greatest(0, indices.between_group) as within_group,
        case when indices.total > 0 then least(1, greatest(0, indices.between_group) / indices.total) end
            as between_share,
        case
            when attribute_means.n = 0 then 'no_positive_outcome'
            when not indices.total > 0 then 'no_inequality'
        end as undefined_reason
    from attribute_means
    left join indices
        on
            attribute_means.outcome = indices.outcome
            and attribute_means.attribute = indices.attribute
            and attribute_means.alpha = indices.alpha
    order by attribute_means.outcome, attribute_means.attribute, attribute_means.alpha
)

select * from inequality_decomposition
