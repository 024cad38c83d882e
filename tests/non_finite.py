"""Find NaN and infinity anywhere in a built warehouse: every floating-point column of every table.

The scan reads the catalog, so tables other layers add later are covered without listing them.
"""

from __future__ import annotations

import duckdb

SCALAR_FLOAT_TYPES = ("FLOAT", "DOUBLE")


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _floating_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    return con.execute(
        """
        select schema_name, table_name, column_name, data_type
        from duckdb_columns()
        where database_name = current_database()
          and not internal
          and regexp_matches(data_type, '\\b(FLOAT|DOUBLE)\\b')
        order by schema_name, table_name, column_index
        """
    ).fetchall()


def _non_finite_condition(column: str, data_type: str) -> str:
    if data_type in SCALAR_FLOAT_TYPES:
        return f"(isnan({column}) or isinf({column}))"
    if data_type in {f"{name}[]" for name in SCALAR_FLOAT_TYPES}:
        return f"list_bool_or(list_transform({column}, lambda x: isnan(x) or isinf(x)))"
    # structs, maps, fixed arrays: to_json writes NaN and infinity as bare NaN / Infinity tokens
    return f"regexp_matches(to_json({column}), '(^|[:,\\[])(NaN|-?Infinity)([,\\]}}]|$)')"


def non_finite_values(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """{'schema.table.column': rows holding NaN or ±inf} for every offending column (empty when clean)."""
    found = {}
    for schema, table, column, data_type in _floating_columns(con):
        condition = _non_finite_condition(_quoted(column), data_type)
        count = con.execute(
            f"select count(*) from {_quoted(schema)}.{_quoted(table)} where {condition}"
        ).fetchone()[0]
        if count:
            found[f"{schema}.{table}.{column}"] = count
    return found


def floating_column_count(con: duckdb.DuckDBPyConnection) -> int:
    """How many columns the scan looked at (so a test can tell a clean scan from an empty one)."""
    return len(_floating_columns(con))
