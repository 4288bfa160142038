"""A new recording read exactly as training data is: the same adapter, column and value maps,
conventions and Great Expectations gate. It may lack the label column (then it is unlabelled)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from gaitops.config import Settings
from gaitops.data.sources.csv_reading import read_text_table
from gaitops.data.sources.long_csv import UNLABELLED, conventions_record, map_columns
from gaitops.data.validate import validate_table
from gaitops.errors import ConfigError, ValidationFailed
from gaitops.settings.data import ColumnMap, DataSettings

CANONICAL_OPTIONAL = ("session", "cycle", "plane", "condition")  # columns a file may leave out


@dataclass(frozen=True)
class Recording:
    table: pd.DataFrame  # canonical, validated
    lines: np.ndarray  # the file line of each row
    labelled: bool  # the file has the column of the label the model predicts
    conventions: dict[str, object]  # how its values were made canonical


def reading_settings(settings: Settings, path: Path) -> DataSettings:
    """params.yaml's data section for a file of the team's own layout (data.source: long_csv);
    gaitops' canonical columns (as `gaitops synthesize --layout canonical` writes them) for a
    project trained on a built-in data set."""
    if settings.data.source == "long_csv":
        return settings.data.model_copy(update={"csv_path": str(path)})
    if settings.data.source == "uci_format":
        raise ConfigError(
            "gaitops predict reads long or wide CSV files (data.source: long_csv); this project "
            "reads the UCI layout. Fix: write the recording in gaitops' canonical columns "
            "(subject, side, joint, plane, time, angle) and set data.source: long_csv."
        )
    header = set(read_text_table(path, ",").columns)
    optional = {name: name if name in header else None for name in CANONICAL_OPTIONAL}
    return DataSettings(
        source="long_csv", csv_path=str(path), columns=ColumnMap(**optional, label="group")
    )


def read_recording(settings: Settings, path: Path, label: str) -> Recording:
    """Read, map and gate `path`; ValidationFailed (nothing predicted) when the gate fails."""
    data = reading_settings(settings, path)
    frame = read_text_table(path, data.delimiter, data.skip_rows, data.comment)
    key = "label" if label == "group" else "condition"
    column = getattr(data.columns, key)
    labelled = column is not None and column in frame.columns
    if not labelled and key == "label":
        data = data.model_copy(update={"columns": data.columns.model_copy(update={"label": None})})
    table, lines = map_columns(frame, settings.model_copy(update={"data": data}), path)
    gate = settings.validate_
    if not labelled:
        gate = gate.model_copy(update={"groups": [*gate.groups, UNLABELLED]})
    report = validate_table(table, gate, lines)
    if not report.success:
        raise ValidationFailed(
            f"{path} failed validation, so nothing was predicted (lines are the file's).\n"
            f"{report.summary()}"
        )
    return Recording(table, lines, labelled, conventions_record(data))
