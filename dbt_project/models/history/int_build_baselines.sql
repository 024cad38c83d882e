{#- Ephemeral (inlined): one row per baseline the latest build is compared with, `previous` (the
    build before it) and `first` (the oldest build the history keeps). None for the first build. -#}
{{ config(materialized='ephemeral') }}

with builds as (
    select
        build_id,
        build_number
    from {{ ref('build_runs') }}
),

current_build as (
    select
        build_id,
        build_number
    from builds
    order by build_number desc
    limit 1
),

earlier_builds as (
    select
        builds.build_id,
        builds.build_number,
        row_number() over (order by builds.build_number desc) as recency,
        row_number() over (order by builds.build_number asc) as age
    from builds
    inner join current_build on builds.build_number < current_build.build_number
),

baselines as (
    select
        'previous' as baseline,
        build_id,
        build_number
    from earlier_builds
    where recency = 1
    union all
    select
        'first' as baseline,
        build_id,
        build_number
    from earlier_builds
    where age = 1
),

build_baselines as (
    select
        baselines.baseline,
        current_build.build_id,
        current_build.build_number,
        baselines.build_id as baseline_build_id,
        baselines.build_number as baseline_build_number
    from baselines
    cross join current_build
)

select * from build_baselines
