"""Stage validate: the Great Expectations gate. Only data that passes it becomes the canonical
table (data/canonical); its verdict is what later stages depend on.

On a failure nothing stored changes: the report goes to data/rejected/validation.json (not a
DVC output) and the previous canonical table, validation report and dvc.lock entries stay.
"""

from __future__ import annotations

import logging
import shutil
from typing import Any

import numpy as np
import pandas as pd

from gaitops.config import Settings, task_of
from gaitops.data.dataset import GaitDataset
from gaitops.data.inputs import build_dataset
from gaitops.data.validate import validate_table
from gaitops.errors import PipelineStateError, ValidationFailed
from gaitops.evaluation.protocol import plan_folds
from gaitops.io import atomic_directory, read_json, sha256_of, write_json
from gaitops.paths import Paths
from gaitops.stages import MapFn, serial_map

log = logging.getLogger("gaitops")


def _ingested(paths: Paths) -> dict[str, Any]:
    """Ingest's table, provenance and (user files) line of each row."""
    table_path = paths.ingested_dir / paths.canonical_table.name
    if not table_path.exists():
        raise PipelineStateError(f"{table_path}: missing. Run the ingest stage first.")
    lines_path = paths.ingested_dir / paths.source_lines.name
    return {
        "table_path": table_path,
        "table": pd.read_parquet(table_path),
        "source": read_json(paths.ingested_dir / paths.source_info.name),
        "lines": pd.read_parquet(lines_path)["line"].to_numpy() if lines_path.exists() else None,
    }


def labels_varying_within_subjects(data: GaitDataset) -> str | None:
    """A console line when a subject's samples carry more than one class (a within-subject
    design, or a labelling slip), naming the first such subject and its labels."""
    names = np.asarray(data.classes)[data.y]
    per_subject = pd.Series(names).groupby(data.subjects, sort=True).unique()
    varying = per_subject[per_subject.map(len) > 1]
    if varying.empty:
        return None
    subject, labels = varying.index[0], sorted(varying.iloc[0])
    return (
        f"the label varies within {len(varying)} of {len(per_subject)} subjects "
        f"(e.g. subject {subject!r}: {', '.join(labels)}): a within-subject design, so no "
        "subject-level vote is scored; if each subject has one label, this is a labelling slip: "
        "correct the label column (data.columns.label) of those rows"
    )


def _failure_message(source: dict[str, Any], summary: str, paths: Paths, lines: bool) -> str:
    where = source.get("description") or source["name"]
    note = "Lines are the data file's; full" if lines else "Full"
    return (
        f"the data of {where} failed validation; the canonical table and everything downstream "
        f"are unchanged.\n{summary}\n{note} result: {paths.rejected_report}"
    )


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Run the gate and check the data can support the split protocol; on success publish the
    canonical table and the report, else raise ValidationFailed (report in data/rejected/) or
    NotEnoughData."""
    ingested = _ingested(paths)
    report = validate_table(ingested["table"], settings.validate_, ingested["lines"])
    payload = {
        "table": str(paths.canonical_table.relative_to(paths.root)),
        "table_sha256": sha256_of(ingested["table_path"]),
        "source": ingested["source"],
        "summary": report.summary(),
        "success": report.success,
        "checks": report.as_dict()["checks"],
    }
    if not report.success:
        write_json(paths.rejected_report, payload)
        raise ValidationFailed(
            _failure_message(
                ingested["source"], report.summary(), paths, ingested["lines"] is not None
            )
        )
    data = build_dataset(
        ingested["table"], task_of(settings), settings.train.label, settings.train.channels
    )
    plan_folds(data, settings.train)  # enough subjects and classes for the protocol, or say so
    if data.task.is_classification and (varying := labels_varying_within_subjects(data)):
        log.warning(varying)
        payload["notes"] = [varying]  # said again in the run report
    with atomic_directory(paths.canonical_dir) as tmp:
        for name in (paths.canonical_table.name, paths.source_info.name, paths.source_lines.name):
            if (paths.ingested_dir / name).exists():
                shutil.copy2(paths.ingested_dir / name, tmp / name)
    write_json(paths.validation_raw, report.raw_results)
    write_json(paths.validation_report, payload)
    paths.rejected_report.unlink(missing_ok=True)
    log.info(report.summary())
    return payload
