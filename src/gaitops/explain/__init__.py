"""Explainers: one module each, listed in one registry with what they apply to."""

from gaitops.explain.registry import EXPLAINERS, Explainer, get_explainer

__all__ = ["EXPLAINERS", "Explainer", "get_explainer"]
