"""Synthetic Thai sample data: an educational service area office, or the whole nation."""
