-- A group named in var fairness_reference_groups that no artist belongs to leaves its attribute
-- without a reference, so every disparity ratio of it would be null: the build stops instead.
select
    outcome,
    attribute,
    reference_group
from {{ ref('group_outcomes') }}
group by outcome, attribute, reference_group
having not bool_or(is_reference_group)
