"""One adapter per data source, each returning the canonical table and where it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from gaitops.config import Settings


@dataclass(frozen=True)
class SourceInfo:
    """Where a canonical table came from: recorded in every metrics file and report."""

    name: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    description: str = ""
    fallback_reason: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "files": dict(self.files),
            "description": self.description,
            "fallback_reason": self.fallback_reason,
        }


@dataclass(frozen=True)
class LoadedSource:
    table: pd.DataFrame
    info: SourceInfo


SourceLoader = Callable[[Settings, Path | None], LoadedSource]

