"""Hyper-parameter tuning: the source paper's Q-learning and MIM agents, as Optuna samplers (study
mode) and as a per-epoch training controller, benchmarked against Optuna's own samplers."""
