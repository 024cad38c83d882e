"""No NaN or infinity in any table of the workshop warehouse (the scan itself:
tests/unit/warehouse/test_non_finite_scan.py)."""

from tests.non_finite import floating_column_count, non_finite_values


def test_workshop_warehouse_has_no_nan_or_infinity(warehouse):
    assert floating_column_count(warehouse) > 0
    assert non_finite_values(warehouse) == {}
