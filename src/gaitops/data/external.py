"""Data files outside the repository, made visible to DVC.

The built-in data sets live under $GAITOPS_DATA_DIR (or the download cache) and a user's CSV
may live anywhere: DVC cannot name such paths in dvc.yaml. Before every retrain, gaitops hashes
the files the configured source will read and writes data/external.json (a dependency of the
ingest stage) when that differs: a changed or corrupted file re-runs ingest, where its pinned
hash is checked; an unchanged one leaves the pipeline up to date.
"""

from __future__ import annotations

import json
from pathlib import Path

from gaitops.config import Settings
from gaitops.data.fetch import PinnedFile, cache_dir, data_dir_from_env
from gaitops.data.sources.registry import get_source
from gaitops.io import sha256_of, write_text

MISSING = "missing"


def _pinned_candidate(pinned: PinnedFile, data_dir: Path | None) -> Path | None:
    """The file the source will read: under the data directory first, then the cache."""
    candidates = [] if data_dir is None else [data_dir / pinned.relative_path]
    candidates.append(cache_dir() / pinned.relative_path)
    return next((c for c in candidates if c.is_file()), None)


def external_files(settings: Settings, root: Path, data_dir: Path | None = None) -> dict[str, str]:
    """File name -> sha256 (or "missing") of each file outside the repository the source reads."""
    source = get_source(settings.data.source)
    if source.pinned is not None:
        pinned = source.pinned
        found = _pinned_candidate(pinned, data_dir or data_dir_from_env())
        return {Path(pinned.relative_path).name: sha256_of(found) if found else MISSING}
    if settings.data.csv_path and source.kind == "user_file":
        path = (root / Path(settings.data.csv_path).expanduser()).resolve()
        if path.is_relative_to((root / "data" / "raw").resolve()):
            return {}  # data/raw is a dependency of ingest already
        return {path.name: sha256_of(path) if path.is_file() else MISSING}
    return {}


def record_external_files(settings: Settings, root: Path, data_dir: Path | None = None) -> bool:
    """Write data/external.json when the external files changed; True when it was rewritten."""
    target = root / "data" / "external.json"
    text = (
        json.dumps(
            {"source": settings.data.source, "files": external_files(settings, root, data_dir)},
            indent=2,
            sort_keys=True,
        )
        + "\n"
    )
    if target.exists() and target.read_text() == text:
        return False
    write_text(target, text)
    return True
