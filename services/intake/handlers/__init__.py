"""Intake's use cases: submissions, review, credentials."""
