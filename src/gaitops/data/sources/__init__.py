"""One adapter per data source, each returning the canonical table and where it came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.config import Settings


@dataclass(frozen=True)
class SourceInfo:
    """Where a canonical table came from: recorded in every metrics file and report."""

    name: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    description: str = ""
    fallback_reason: str | None = None
    conventions: dict[str, object] = field(default_factory=dict)  # how values were made canonical

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "name": self.name,
            "files": dict(self.files),
            "description": self.description,
            "fallback_reason": self.fallback_reason,
        }
        if self.conventions:
            out["conventions"] = self.conventions
        return out


@dataclass(frozen=True)
class LoadedSource:
    table: pd.DataFrame
    info: SourceInfo
    lines: np.ndarray | None = None  # a user file's line of each row (None: not from a user file)


SourceLoader = Callable[[Settings, Path | None], LoadedSource]
