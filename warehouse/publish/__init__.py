"""Publish: build beside the published file under a lock and replace it atomically."""
