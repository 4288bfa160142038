"""Model evaluation: metrics and their summaries across folds."""
