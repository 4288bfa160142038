"""The source paper's tuners as Optuna samplers (study mode)."""
