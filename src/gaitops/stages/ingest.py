"""Stage ingest: the configured source (or, for a built-in data set a machine lacks, the
fallback) -> the canonical long table, and a user file's line of each row."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from gaitops.config import Settings
from gaitops.data.fetch import data_dir_from_env
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.data.sources.registry import check_data_source, get_source
from gaitops.errors import DataSourceError
from gaitops.io import atomic_directory, write_json
from gaitops.paths import Paths
from gaitops.stages import MapFn, serial_map

log = logging.getLogger("gaitops")


def load_source(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """The configured source, or (built-in sources only) the configured fallback, with the
    reason recorded."""
    check_data_source(settings.data)
    source = get_source(settings.data.source)
    data_dir = data_dir or data_dir_from_env()
    try:
        return source.load(settings, data_dir)
    except DataSourceError as exc:
        fallback = settings.data.fallback
        if fallback is None or fallback == source.name or not source.may_fall_back:
            raise
        reason = f"{settings.data.source} unavailable: {exc}"
        log.warning("DATA SOURCE FALLBACK: %s -> running on %s", reason, settings.data.fallback)
        loaded = get_source(fallback, "data.fallback").load(settings, data_dir)
        info = loaded.info
        recorded = SourceInfo(info.name, info.files, info.description, fallback_reason=reason)
        return LoadedSource(loaded.table, recorded, loaded.lines)


def run(
    settings: Settings, paths: Paths, map_items: MapFn = serial_map, data_dir: Path | None = None
) -> SourceInfo:
    """Write the table in canonical form and its provenance to data/ingested (one directory,
    replaced whole); the validate stage makes it the canonical table if it passes the gate."""
    loaded = load_source(settings, data_dir)
    with atomic_directory(paths.ingested_dir) as tmp:
        loaded.table.to_parquet(tmp / paths.canonical_table.name, index=False)
        if loaded.lines is not None:
            pd.DataFrame({"line": loaded.lines}).to_parquet(tmp / paths.source_lines.name)
        write_json(
            tmp / paths.source_info.name, {**loaded.info.as_dict(), "rows": len(loaded.table)}
        )
    table = loaded.table
    curves = table[["side", "joint", "plane"]].drop_duplicates()
    log.info(
        "ingested %d rows from %s into %s: %d subjects, %d gait cycles, %d curves",
        len(table),
        loaded.info.name,
        paths.ingested_dir,
        table["subject"].nunique(),
        len(table[["subject", "session", "cycle"]].drop_duplicates()),
        len(curves),
    )
    return loaded.info
