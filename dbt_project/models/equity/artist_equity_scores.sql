{#- One row per artist: the notebook's create_equity_score with the weights of the equity_weights
    seed, in the notebook's order of operations, plus what the notebook itself would give. -#}
{%- set mixed_weights = {
    'quality_component': ['award_wins', 'albums_per_year', 'years_active', 'streams_per_listener'],
    'equity_component': ['quality_score', 'visibility_score', 'demo_weight', 'label_boost'],
} -%}

with artists as (
    select
        artist_id,
        artist_name,
        gender,
        ethnicity,
        label_type,
        monthly_listeners,
        award_wins,
        album_count,
        years_active,
        albums_per_year,
        streams_per_listener,
        line_number
    from {{ ref('artist_features') }}
),

weights as (
    select
        weight_set,
        item,
        weight
    from {{ ref('equity_weights') }}
),

mix as (
    select
        {%- for weight_set, items in mixed_weights.items() %}
        {%- for item in items %}
        max(weight) filter (where weight_set = '{{ weight_set }}' and item = '{{ item }}') as {{ weight_set }}_{{ item }},
        {%- endfor %}
        {%- endfor %}
        max(weight) filter (where weight_set = 'unknown_category' and item = 'default') as default_weight
    from weights
),

inputs as (
    select
        artists.*,
        -- years_active = 0 leaves albums_per_year undefined: it counts as no albums per year
        coalesce(artists.albums_per_year, 0) as albums_per_year_or_zero,
        artists.albums_per_year is null as albums_per_year_undefined,
        coalesce(gender_weights.weight, mix.default_weight) as gender_weight,
        coalesce(ethnicity_weights.weight, mix.default_weight) as ethnicity_weight,
        coalesce(label_weights.weight, mix.default_weight) as label_boost,
        gender_weights.weight is null as gender_weight_defaulted,
        ethnicity_weights.weight is null as ethnicity_weight_defaulted,
        label_weights.weight is null as label_boost_defaulted
    from artists
    cross join mix
    left join weights as gender_weights
        on artists.gender = gender_weights.item and gender_weights.weight_set = 'gender'
    left join weights as ethnicity_weights
        on artists.ethnicity = ethnicity_weights.item and ethnicity_weights.weight_set = 'ethnicity'
    left join weights as label_weights
        on artists.label_type = label_weights.item and label_weights.weight_set = 'label_type'
),

maxima as (
    select
        max(award_wins) as max_award_wins,
        max(albums_per_year_or_zero) as max_albums_per_year,
        max(years_active) as max_years_active,
        max(streams_per_listener) as max_streams_per_listener,
        max(monthly_listeners) as max_monthly_listeners,
        -- pandas' max of the notebook's albums_per_year: infinite when an artist has albums but
        -- no years (x / 0), otherwise the largest defined value (0 / 0 is NaN, which max skips)
        bool_or(years_active = 0 and album_count > 0) as notebook_albums_max_is_infinite,
        max(albums_per_year) as notebook_max_albums_per_year
    from inputs
),

normalized as (
    select
        inputs.*,
        -- a maximum of 0 means every artist has 0: each is 0% of it, and the row is flagged
        case when maxima.max_award_wins > 0 then inputs.award_wins::double / maxima.max_award_wins else 0 end
            as award_wins_ratio,
        case when maxima.max_albums_per_year > 0 then inputs.albums_per_year_or_zero / maxima.max_albums_per_year else 0 end
            as albums_per_year_ratio,
        case when maxima.max_years_active > 0 then inputs.years_active::double / maxima.max_years_active else 0 end
            as years_active_ratio,
        case when maxima.max_streams_per_listener > 0 then inputs.streams_per_listener / maxima.max_streams_per_listener else 0 end
            as streams_per_listener_ratio,
        case when maxima.max_monthly_listeners > 0 then inputs.monthly_listeners::double / maxima.max_monthly_listeners else 0 end
            as monthly_listeners_ratio,
        maxima.max_award_wins = 0 or maxima.max_albums_per_year = 0 or maxima.max_years_active = 0
        or maxima.max_streams_per_listener = 0 or maxima.max_monthly_listeners = 0 as normalization_undefined,
        case
            when maxima.notebook_albums_max_is_infinite then 0
            when maxima.notebook_max_albums_per_year > 0 then inputs.albums_per_year / maxima.notebook_max_albums_per_year
        end as notebook_albums_per_year_ratio,
        -- where the notebook's arithmetic meets 0 / 0, x / 0 or an unmapped category it gives NaN
        maxima.max_award_wins > 0 and maxima.max_years_active > 0 and maxima.max_streams_per_listener > 0
        and maxima.max_monthly_listeners > 0 and not inputs.albums_per_year_undefined as notebook_inputs_defined
    from inputs
    cross join maxima
),

scores as (
    select
        normalized.*,
        normalized.award_wins_ratio * mix.quality_component_award_wins
        + normalized.albums_per_year_ratio * mix.quality_component_albums_per_year
        + normalized.years_active_ratio * mix.quality_component_years_active
        + normalized.streams_per_listener_ratio * mix.quality_component_streams_per_listener as quality_score,
        normalized.award_wins_ratio * mix.quality_component_award_wins
        + normalized.notebook_albums_per_year_ratio * mix.quality_component_albums_per_year
        + normalized.years_active_ratio * mix.quality_component_years_active
        + normalized.streams_per_listener_ratio * mix.quality_component_streams_per_listener as notebook_quality_score,
        1 - normalized.monthly_listeners_ratio as visibility_score,
        normalized.gender_weight * normalized.ethnicity_weight as demo_weight,
        normalized.notebook_inputs_defined
        and not normalized.gender_weight_defaulted
        and not normalized.ethnicity_weight_defaulted
        and not normalized.label_boost_defaulted as notebook_defined,
        mix.equity_component_quality_score,
        mix.equity_component_visibility_score,
        mix.equity_component_demo_weight,
        mix.equity_component_label_boost
    from normalized
    cross join mix
),

equity as (
    select
        scores.*,
        scores.quality_score * scores.equity_component_quality_score
        + scores.visibility_score * scores.equity_component_visibility_score
        + scores.demo_weight * scores.equity_component_demo_weight
        + scores.label_boost * scores.equity_component_label_boost as equity_score,
        case
            when scores.notebook_defined then
                scores.notebook_quality_score * scores.equity_component_quality_score
                + scores.visibility_score * scores.equity_component_visibility_score
                + scores.demo_weight * scores.equity_component_demo_weight
                + scores.label_boost * scores.equity_component_label_boost
        end as notebook_equity_score
    from scores
),

artist_equity_scores as (
    select
        artist_id,
        artist_name,
        gender,
        ethnicity,
        label_type,
        monthly_listeners,
        quality_score,
        visibility_score,
        gender_weight,
        ethnicity_weight,
        demo_weight,
        label_boost,
        equity_score,
        -- pandas' nlargest keeps the first of tied rows in file order
        row_number() over (order by equity_score desc, line_number asc) as equity_rank,
        gender_weight_defaulted,
        ethnicity_weight_defaulted,
        label_boost_defaulted,
        albums_per_year_undefined,
        normalization_undefined,
        notebook_equity_score,
        line_number
    from equity
    -- stored in rank order: the window's rows come out in no order, and unordered the table took
    -- 18 s to write at 10 million artists instead of 13 s
    order by equity_rank
)

select * from artist_equity_scores
