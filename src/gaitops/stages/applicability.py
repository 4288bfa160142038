"""The record explain and score write when nothing registered applies (instead of failing or faking)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from gaitops.config import Settings
from gaitops.evaluation.protocol import protocol_record
from gaitops.io import read_json
from gaitops.paths import Paths
from gaitops.records import publish

log = logging.getLogger("gaitops")
NOT_APPLICABLE_FILE = "not_applicable.json"


def not_applicable(
    settings: Settings,
    paths: Paths,
    stage: str,
    reason: str,
    method: str,
    metrics_file: Path | None = None,
) -> dict[str, Any]:
    """Write and return the stage's record (for one method) saying why it did not apply, and
    its (empty) DVC metrics to `metrics_file` when the stage has a metrics file."""
    metrics = {
        "applicable": False,
        "task": settings.train.task,
        "method": method,
        "reason": reason,
        "protocol": protocol_record(settings.train),
        "source": read_json(paths.source_info),
    }
    publish(metrics, paths.item_record(stage, method), metrics_file)
    log.info("%s: %s", stage, reason)
    return metrics


def explanations_missing_reason(paths: Paths, method: str) -> str | None:
    """Why explain@METHOD wrote no explanations (None: it did)."""
    marker = paths.explanations_of(method) / NOT_APPLICABLE_FILE
    return read_json(marker)["reason"] if marker.exists() else None
