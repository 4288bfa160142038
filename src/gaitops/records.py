"""A stage's record and its DVC metrics.

The record (records/STAGE.json) holds everything a stage found: protocol, source, per-fold and
per-class figures, descriptive text. The metrics file (metrics/STAGE.json) holds only the few
numbers `dvc metrics show` and `dvc exp show` put in columns, so both stay readable in a terminal.
"""

from __future__ import annotations

from numbers import Real
from pathlib import Path
from typing import Any

from gaitops.io import write_json


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def headline_numbers(
    record: dict[str, Any], keys: tuple[str, ...], mean_only: bool = False
) -> dict[str, Any]:
    """The numbers of `record` under `keys`: plain numbers, {mean, sd} pairs (the mean alone
    with `mean_only`) and flat dicts of numbers (e.g. a rank per method); anything else is left
    to the record."""
    numbers: dict[str, Any] = {}
    for key in keys:
        value = record.get(key)
        if _is_number(value):
            numbers[key] = value
        elif isinstance(value, dict) and value and all(_is_number(v) for v in value.values()):
            numbers[key] = value["mean"] if mean_only and "mean" in value else value
    return numbers


def publish(
    record: dict[str, Any],
    record_path: Path,
    metrics_path: Path | None,
    keys: tuple[str, ...] = (),
    mean_only: bool = False,
) -> dict[str, Any]:
    """Write the stage's whole record and, beside it (unless `metrics_path` is None), its
    headline numbers as DVC metrics."""
    write_json(record_path, record)
    if metrics_path is not None:
        write_json(metrics_path, headline_numbers(record, keys, mean_only))
    return record
