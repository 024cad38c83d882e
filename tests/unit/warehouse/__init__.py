"""Unit tests of warehouse/: settings, build options, synthetic data and ingest checks, no dbt build."""
