{#- One row per box of a box plot (measure x attribute x panel x group): the quartiles, the fences
    box_whisker_iqr interquartile ranges beyond them, and the whiskers, which reach the furthest value
    inside the fences (matplotlib's and seaborn's rule). -#}
{{ config(materialized='table') }}

with observations as (
    select measure, attribute, panel, group_value, value from {{ ref('box_plot_observations') }}
),

limits as (
    select box_whisker_iqr from {{ ref('report_drawing_limits') }}
),

quartiles as (
    select
        measure,
        attribute,
        panel,
        group_value,
        count(*) as n,
        quantile_cont(value, 0.25) as q1,
        quantile_cont(value, 0.5) as median,
        quantile_cont(value, 0.75) as q3
    from observations
    where value is not null
    group by measure, attribute, panel, group_value
),

fences as (
    select
        quartiles.measure,
        quartiles.attribute,
        quartiles.panel,
        quartiles.group_value,
        quartiles.n,
        quartiles.q1,
        quartiles.median,
        quartiles.q3,
        quartiles.q1 - limits.box_whisker_iqr * (quartiles.q3 - quartiles.q1) as low_fence,
        quartiles.q3 + limits.box_whisker_iqr * (quartiles.q3 - quartiles.q1) as high_fence
    from quartiles
    cross join limits
),

boxes as (
    select
        fences.measure,
        fences.attribute,
        fences.panel,
        fences.group_value,
        fences.n,
        fences.q1,
        fences.median,
        fences.q3,
        fences.low_fence,
        fences.high_fence,
        min(observations.value) filter (where observations.value >= fences.low_fence) as whisker_low,
        max(observations.value) filter (where observations.value <= fences.high_fence) as whisker_high
    from fences
    inner join observations
        on fences.measure = observations.measure and fences.attribute = observations.attribute
        and fences.panel = observations.panel and fences.group_value = observations.group_value
    group by all
)

select * from boxes
