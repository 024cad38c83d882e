"""The source columns an input file must name, and why a header cannot be artists."""

from warehouse.settings.project import project_vars

SOURCE_COLUMNS = tuple(column["name"] for column in project_vars()["source_columns"])
# how each format says that its columns name none of the required ones
NO_REQUIRED_COLUMN = {
    "csv": "input file is not an artists CSV: its first line names",
    "parquet": "input file is not an artists table: its columns include",
}


def normalized_column_name(name: str) -> str:
    """What a header name is matched on: trimmed of spaces (as DuckDB's trim) and in lower case."""
    return name.strip(" ").lower()


def header_problem(names: list[str], source_format: str) -> str | None:
    """Why columns with these normalised names cannot be artists, or None; the caller adds the path."""
    missing = [column for column in SOURCE_COLUMNS if column not in names]
    if len(missing) == len(SOURCE_COLUMNS):
        return (
            f"{NO_REQUIRED_COLUMN[source_format]} none of the {len(SOURCE_COLUMNS)} required columns "
            f"({', '.join(SOURCE_COLUMNS)})"
        )
    if missing:
        return f"input file lacks required column(s) {', '.join(missing)}"
    repeated = sorted({column for column in SOURCE_COLUMNS if names.count(column) > 1})
    if repeated:
        return f"input file names column(s) {', '.join(repeated)} more than once"
    return None
