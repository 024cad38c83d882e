"""Tests that build a warehouse (marked slow by tests/conftest.py): parity, bad input, operations, clients."""
