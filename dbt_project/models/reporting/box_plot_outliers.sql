{#- One row per drawn outlier of a box (measure x attribute x panel x group): a value beyond the
    box's fences; at most max_outliers_per_box per box, the farthest from the box first. Not a hash:
    DuckDB's hash() differs between releases. -#}
{{ config(materialized='table') }}

with observations as (
    select measure, attribute, panel, group_value, value from {{ ref('box_plot_observations') }}
),

boxes as (
    select measure, attribute, panel, group_value, low_fence, high_fence from {{ ref('box_plot_boxes') }}
),

limits as (
    select max_outliers_per_box from {{ ref('report_drawing_limits') }}
),

outliers as (
    select
        observations.measure,
        observations.attribute,
        observations.panel,
        observations.group_value,
        observations.value,
        row_number() over (
            partition by observations.measure, observations.attribute, observations.panel, observations.group_value
            order by
                greatest(boxes.low_fence - observations.value, observations.value - boxes.high_fence) desc,
                observations.value
        ) as outlier_number,
        limits.max_outliers_per_box
    from observations
    inner join boxes
        on observations.measure = boxes.measure and observations.attribute = boxes.attribute
        and observations.panel = boxes.panel and observations.group_value = boxes.group_value
    cross join limits
    where observations.value < boxes.low_fence or observations.value > boxes.high_fence
),

drawn_outliers as (
    select
        measure,
        attribute,
        panel,
        group_value,
        outlier_number,
        value
    from outliers
    where outlier_number <= max_outliers_per_box
)

select * from drawn_outliers
