"""The model and cluster steps can be skipped on a small input: an empty ml table is then explained
by the skip reasons of ml.model_step_log (shared by the models and archetypes sections)."""

from __future__ import annotations

from reports.warehouse_reader import Unavailable, WarehouseReader


def skip_reasons(reader: WarehouseReader, step: str) -> str:
    if "reason" not in reader.columns("ml.model_step_log"):
        return ""
    reasons = reader.select("ml.model_step_log", ["reason"], where={"step": step, "status": "skipped"},
                            order_by=("reason",))
    return "; ".join(reasons["reason"].dropna().drop_duplicates())


def require_model_output(reader: WarehouseReader, relation: str, columns: list[str], step: str) -> None:
    """Like reader.require, but an empty table is explained by the model step log's skip reasons."""
    try:
        reader.require(relation, columns)
    except Unavailable as exc:
        reasons = skip_reasons(reader, step)
        if reasons and "is empty" in str(exc):
            raise Unavailable(f"the {step} step was skipped: {reasons}") from None
        raise
