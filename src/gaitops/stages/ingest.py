"""Stage ingest: the configured source (or the demo's fallback) -> the canonical long table."""

from __future__ import annotations

import logging
from pathlib import Path

from gaitops.config import Settings
from gaitops.data.fetch import data_dir_from_env
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.data.sources.registry import SOURCES
from gaitops.errors import DataSourceError
from gaitops.io import atomic_directory, write_json
from gaitops.paths import Paths
from gaitops.stages import MapFn, serial_map

log = logging.getLogger("gaitops")


def load_source(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """The configured source, or the configured fallback (with the reason recorded)."""
    sources = SOURCES
    data_dir = data_dir or data_dir_from_env()
    try:
        return sources[settings.data.source](settings, data_dir)
    except DataSourceError as exc:
        if settings.data.fallback is None or settings.data.fallback == settings.data.source:
            raise
        reason = f"{settings.data.source} unavailable: {exc}"
        log.warning("DATA SOURCE FALLBACK: %s -> running on %s", reason, settings.data.fallback)
        loaded = sources[settings.data.fallback](settings, data_dir)
        info = loaded.info
        fallback = SourceInfo(info.name, info.files, info.description, fallback_reason=reason)
        return LoadedSource(loaded.table, fallback)


def run(
    settings: Settings, paths: Paths, map_items: MapFn = serial_map, data_dir: Path | None = None
) -> SourceInfo:
    """Write the canonical table and its provenance (one directory, replaced whole)."""
    loaded = load_source(settings, data_dir)
    with atomic_directory(paths.canonical_dir) as tmp:
        loaded.table.to_parquet(tmp / paths.canonical_table.name, index=False)
        write_json(
            tmp / paths.source_info.name, {**loaded.info.as_dict(), "rows": len(loaded.table)}
        )
    log.info(
        "ingested %d rows from %s into %s",
        len(loaded.table),
        loaded.info.name,
        paths.canonical_table,
    )
    return loaded.info
