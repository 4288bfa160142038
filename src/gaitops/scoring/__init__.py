"""Explanation scores: one module per metric family, one registry with score directions."""
