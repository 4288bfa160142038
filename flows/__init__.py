"""Prefect wiring of the gaitops pipeline: which stage after which, schedules, artifacts."""
