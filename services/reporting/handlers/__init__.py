"""Reporting's use cases: keep copies of what others announce; request and render reports."""
