"""The user's overrides resolved against the declarations, once per build: every value checked against
its rule (one line naming the var when one breaks it), then the values derived from them added for
dbt to read.

    python -m warehouse.settings        # the resolved vars as JSON, for a dbt command of your own
"""

from __future__ import annotations

from warehouse.errors import BuildError
from warehouse.settings.declarations import SETTINGS
from warehouse.settings.derived import derived_vars
from warehouse.settings.project import project_vars

REPORTED = [setting.name for setting in SETTINGS if setting.reported]


def resolve_settings(overrides: dict) -> dict:
    """Every setting's value: the project's default unless overridden; BuildError naming the first var
    (in the declarations' order) that breaks its rule, or a var the project does not declare."""
    defaults = project_vars()
    unknown = sorted(name for name in overrides if name not in defaults)
    if unknown:
        raise BuildError(f"unknown dbt var(s) {', '.join(unknown)}: the project defines {', '.join(defaults)}")
    settings = {**defaults, **overrides}
    for setting in SETTINGS:
        problem = setting.rule(settings[setting.name], settings)
        if problem:
            raise BuildError(f"dbt var {setting.name} {problem}")
    return settings


def dbt_vars(settings: dict) -> dict:
    """What dbt runs with: the resolved settings and the values derived from them."""
    return {**settings, **derived_vars(settings, REPORTED)}
