"""A user's own CSV already in the canonical long format (columns as in the schema)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gaitops.config import Settings
from gaitops.data.schema import coerce
from gaitops.data.sources import LoadedSource, SourceInfo
from gaitops.errors import DataSourceError
from gaitops.io import sha256_of


def load(settings: Settings, data_dir: Path | None = None) -> LoadedSource:
    """Read the CSV at ``data.csv_path``; its columns and values are checked by the validation gate."""
    del data_dir
    path = Path(str(settings.data.csv_path)).expanduser()
    if not path.is_file():
        raise DataSourceError(f"{path}: not found (data.csv_path in params.yaml).")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataSourceError(f"{path}: cannot be read as CSV: {exc}") from exc
    return LoadedSource(
        table=coerce(frame),
        info=SourceInfo(
            name="canonical_csv", files={path.name: sha256_of(path)}, description=str(path)
        ),
    )
