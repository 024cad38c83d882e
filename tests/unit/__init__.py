"""Tests that build no warehouse: pure functions of ml/, warehouse/ and reports/ (make test-fast)."""
