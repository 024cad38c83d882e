{#- scikit-learn's LabelEncoder: the distinct values sorted (by code point), numbered from 0; the
    notebook's five categorical columns, then each of var extra_attributes. -#}
{%- set encoded_attributes = ['gender', 'ethnicity', 'genre', 'country', 'label_type'] + var('extra_attributes') -%}

with artists as (
    select
        {%- for attribute in encoded_attributes %}
        {{ attribute }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_artists') }}
),

attribute_values as (
    {%- for attribute in encoded_attributes %}
    select distinct '{{ attribute }}' as attribute, {{ attribute }} as value from artists
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

encodings as (
    select
        attribute,
        value,
        (dense_rank() over (partition by attribute order by value) - 1)::integer as code
    from attribute_values
)

select * from encodings
