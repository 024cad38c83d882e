{#- ml_internal.fit_predictions is written by the Python model ml_internal.model_fits while it
    trains (ml/fit_store.py): dbt gives a Python model one relation, and 10 models x 10 million
    artists are more rows than one nested value should hold. The ref makes this model wait for it.
    A view: the errors are arithmetic on each row, and a copy of 100 million rows cost 50 s and
    2.5 GB of the file at 10 million artists. -#}
{{ config(materialized='view') }}
{%- set fits = ref('model_fits') -%}

with fit_predictions as (
    select
        -- ENUMs there (one byte per row, ml/fit_store.py), text here
        feature_set::varchar as feature_set,
        model_name::varchar as model_name,
        artist_id,
        is_test,
        cv_fold,
        actual,
        predicted,
        cv_predicted
    from {{ adapter.quote(fits.schema) }}.fit_predictions
),

model_predictions as (
    select
        feature_set,
        model_name,
        artist_id,
        if(is_test, 'test', 'train') as split,
        cv_fold,
        actual,
        predicted,
        actual - predicted as error,
        abs(actual - predicted) as abs_error,
        -- the notebook divides by actual; an artist with 0 listeners has no percentage error
        (actual - predicted) / nullif(actual, 0) * 100 as pct_error,
        actual = 0 as pct_error_undefined,
        cv_predicted,
        actual - cv_predicted as cv_error
    from fit_predictions
)

select * from model_predictions
