{%- set edges = var('success_tier_edges') -%}
{%- set labels = var('success_tier_labels') -%}
{%- set encoded = {'gender': 'gender_encoded', 'ethnicity': 'ethnicity_encoded', 'genre': 'genre_encoded',
                   'country': 'country_encoded', 'label_type': 'label_encoded'} -%}
{%- for attribute in var('extra_attributes') -%}
    {%- do encoded.update({attribute: attribute ~ '_encoded'}) -%}
{%- endfor -%}

with artists as (
    select
        {%- for column in var('input_columns') %}
        {{ column.name }},
        {%- endfor %}
        source_file,
        line_number
    from {{ ref('stg_artists') }}
),

encodings as (
    select attribute, value, code from {{ ref('label_encodings') }}
),

engineered as (
    select
        artists.*,
        -- the notebook divides by years_active; a zero gives no rate (null), never infinity
        artists.monthly_listeners::double / nullif(artists.years_active, 0) as listeners_per_year,
        artists.total_streams::double / nullif(artists.years_active, 0) as streams_per_year,
        artists.album_count::double / nullif(artists.years_active, 0) as albums_per_year,
        artists.award_wins::double / nullif(artists.years_active, 0) as awards_per_year,
        artists.years_active = 0 as per_year_undefined,
        -- the + 1 in DOUBLE: a count that fits BIGINT (up to 9223372036854775807) must not overflow
        -- here; below 2^53 it is exactly the notebook's int64 sum
        artists.spotify_followers::double / (artists.soundcloud_followers::double + 1) as spotify_soundcloud_ratio,
        artists.spotify_followers::double / (artists.monthly_listeners::double + 1) as followers_to_listeners_ratio,
        artists.total_streams::double / (artists.monthly_listeners::double + 1) as streams_per_listener,
        {%- for name, members in var('fairness_intersections_named') %}
        {% for member in members %}artists.{{ adapter.quote(member) }}::varchar{{ " || '_' || " if not loop.last }}{% endfor %}
            as {{ adapter.quote(name) }},
        {%- endfor %}
        artists.genre || '_' || artists.label_type as genre_label,
        case
            {%- for label in labels %}
            when artists.monthly_listeners > {{ edges[loop.index0] | float }}
                {%- if not loop.last %} and artists.monthly_listeners <= {{ edges[loop.index] | float }}{% endif %}
                then {{ sql_literal(label) }}
            {%- endfor %}
        end as success_tier
    from artists
),

encoded as (
    select
        engineered.*,
        {%- for attribute, column in encoded.items() %}
        {{ attribute }}_codes.code as {{ column }},
        {%- endfor %}
        engineered.success_tier is null as success_tier_undefined
    from engineered
    {%- for attribute in encoded %}
    left join encodings as {{ attribute }}_codes
        on {{ attribute }}_codes.attribute = '{{ attribute }}' and {{ attribute }}_codes.value = engineered.{{ attribute }}
    {%- endfor %}
),

artist_features as (
    select
        {%- for column in var('input_columns') %}
        {{ column.name }},
        {%- endfor %}
        listeners_per_year,
        streams_per_year,
        albums_per_year,
        awards_per_year,
        spotify_soundcloud_ratio,
        followers_to_listeners_ratio,
        streams_per_listener,
        {%- for name, members in var('fairness_intersections_named') %}
        {{ adapter.quote(name) }},
        {%- endfor %}
        genre_label,
        {%- for column in encoded.values() %}
        {{ column }},
        {%- endfor %}
        success_tier,
        per_year_undefined,
        success_tier_undefined,
        source_file,
        line_number
    from encoded
)

select * from artist_features
