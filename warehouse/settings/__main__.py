"""python -m warehouse.settings ['{"min_group_size": 3}']: the vars a build hands dbt, as JSON.

For a dbt command run by hand: `dbt build --vars "$(python -m warehouse.settings)"`.
"""

import json
import sys

from warehouse.errors import BuildError
from warehouse.settings.resolve import dbt_vars, resolve_settings

try:
    print(json.dumps(dbt_vars(resolve_settings(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))))
except (BuildError, json.JSONDecodeError) as exc:
    print(f"error: {exc}", file=sys.stderr)
    sys.exit(2)
