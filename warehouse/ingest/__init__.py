"""Ingest: find the input, check its header, load it into raw.artists with a quarantine."""
