"""Gait data: the canonical table, its sources, validation, and the model views derived from it."""
