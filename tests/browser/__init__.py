"""Tests that drive headless Chromium over a built report (marked slow and browser by tests/conftest.py)."""
