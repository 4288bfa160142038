"""Explainers: one module each (base, baselines, registry); import what you use."""
