"""Metrics of predictions against the truth: per task kind, and each task's headline metric.

A leaf of the package: models, tuners, explainers and the evaluation of folds all score with it.
"""
