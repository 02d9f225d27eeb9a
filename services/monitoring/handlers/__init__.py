"""Monitoring's use cases: progress counting and the set-up."""
