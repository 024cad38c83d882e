"""Unit tests of ml/: the notebook's models and clusters on DataFrames, no warehouse."""
