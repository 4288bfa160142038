"""Prefect wiring of the gaitops pipeline: which stage after which, schedules, artifacts."""

import os

# Read when Prefect is first imported (it configures logging then), so set before any flows
# module imports it: the "gaitops" logger's records (epochs, folds, stage results) go to the
# run they belong to in the UI.
os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "gaitops")
