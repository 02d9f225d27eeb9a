"""Evaluation's use cases: scores, frameworks, inspection follow-up."""
