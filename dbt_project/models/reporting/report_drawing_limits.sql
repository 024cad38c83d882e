{#- One row: how the report draws (scatter samples, box-plot outliers, histogram bins, table
    lengths). The reporting views that sample or bin read these; report_settings lists them for
    the page's captions. -#}
{{ config(materialized='view') }}

with drawing_limits as (
    select
        2000 as max_points_per_panel,
        42 as sample_seed,
        150 as max_outliers_per_box,
        1.5::double as box_whisker_iqr,
        20 as histogram_bins,
        15 as top_equity_artists,
        100 as quarantined_lines_shown
)

select * from drawing_limits
