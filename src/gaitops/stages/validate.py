"""Stage validate: the Great Expectations gate; its verdict is what later stages depend on."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from gaitops.config import Settings
from gaitops.data.validate import validate_table
from gaitops.errors import PipelineStateError, ValidationFailed
from gaitops.io import read_json, sha256_of, write_json
from gaitops.paths import Paths
from gaitops.stages import MapFn, serial_map

log = logging.getLogger("gaitops")


def run(settings: Settings, paths: Paths, map_items: MapFn = serial_map) -> dict[str, Any]:
    """Run the gate; save its report; raise ValidationFailed on failure."""
    if not paths.canonical_table.exists():
        raise PipelineStateError(f"{paths.canonical_table}: missing. Run the ingest stage first.")
    table = pd.read_parquet(paths.canonical_table)
    lines = (
        pd.read_parquet(paths.source_lines)["line"].to_numpy()
        if paths.source_lines.exists()
        else None
    )
    report = validate_table(table, settings.validate_, lines)
    source = read_json(paths.source_info)
    payload = {
        "table": str(paths.canonical_table.relative_to(paths.root)),
        "table_sha256": sha256_of(paths.canonical_table),
        "source": source,
        "summary": report.summary(),
        "success": report.success,
        "checks": report.as_dict()["checks"],
    }
    write_json(paths.validation_raw, report.raw_results)
    write_json(paths.validation_report, payload)
    if not report.success:
        raise ValidationFailed(
            f"the data of {source.get('description') or source['name']} failed validation; "
            f"nothing downstream was run.\n{report.summary()}\n"
            f"Lines are the data file's; full result: {paths.validation_report}"
            if lines is not None
            else f"the data of {source['name']} failed validation; nothing downstream was run.\n"
            f"{report.summary()}\nFull result: {paths.validation_report}"
        )
    log.info(report.summary())
    return payload
