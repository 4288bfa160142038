"""Bad input caught at the gate (validate): each kind refused with its numbers, its line and the
fix, or (within-subject labels) said on the console; the published table and report stay."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from gaitops.config import Settings
from gaitops.errors import NotEnoughData, ValidationFailed
from gaitops.paths import Paths
from gaitops.stages.ingest import run as ingest
from gaitops.stages.validate import run as validate

COLUMNS = {"session": "session", "plane": "plane", "condition": "condition"}


def settings_for(tiny_settings: Settings, csv: Path, **sections: dict) -> Settings:
    raw = tiny_settings.model_dump(by_alias=True)
    raw["data"].update(source="long_csv", csv_path=str(csv), columns=COLUMNS)
    for section, update in sections.items():
        for key, value in update.items():
            if isinstance(value, dict) and isinstance(raw[section].get(key), dict):
                raw[section][key] = {**raw[section][key], **value}
            else:
                raw[section][key] = value
    return Settings.model_validate(raw)


@pytest.fixture(scope="module")
def published(tmp_path_factory, tiny_settings, tiny_table_cached) -> Path:
    """A project whose good CSV passed the gate: data/canonical and the report published."""
    root = tmp_path_factory.mktemp("published")
    csv = root / "mine.csv"
    tiny_table_cached.to_csv(csv, index=False)
    settings = settings_for(tiny_settings, csv)
    paths = Paths(root / "project")
    ingest(settings, paths)
    validate(settings, paths)
    return root


@pytest.fixture
def project(published, tmp_path) -> tuple[Path, Paths, dict[Path, bytes]]:
    root = tmp_path / "copy"
    shutil.copytree(published, root)
    paths = Paths(root / "project")
    stored = {p: p.read_bytes() for p in [*paths.canonical_dir.iterdir(), paths.validation_report]}
    return root / "mine.csv", paths, stored


def unchanged(paths: Paths, stored: dict[Path, bytes]) -> bool:
    return {p: p.read_bytes() for p in stored} == stored


def test_a_class_with_fewer_subjects_than_folds_is_refused_with_the_numbers(
    project, tiny_settings, tiny_table
):
    csv, paths, stored = project
    parkinsons = sorted(set(tiny_table.loc[tiny_table["group"] == "parkinsons", "subject"]))
    tiny_table[~tiny_table["subject"].isin(parkinsons[2:])].to_csv(csv, index=False)
    settings = settings_for(tiny_settings, csv, train={"folds": 3})
    ingest(settings, paths)
    with pytest.raises(NotEnoughData) as caught:
        validate(settings, paths)
    message = str(caught.value)
    assert "train.folds is 3 but class 'parkinsons' has only 2 subjects" in message
    assert "amputee 4, control 4, parkinsons 2" in message
    assert "set train.folds: 2" in message and "train.protocol: loso" in message
    assert "merge classes" in message
    assert unchanged(paths, stored)


def test_labels_that_vary_within_a_subject_are_said_on_the_console(
    project, tiny_settings, tiny_table, caplog
):
    csv, paths, _ = project
    first = tiny_table["subject"].iloc[0]  # a control subject, seen again as parkinsons
    again = tiny_table[tiny_table["subject"] == first].assign(session="2", group="parkinsons")
    pd.concat([tiny_table, again]).to_csv(csv, index=False)
    settings = settings_for(tiny_settings, csv)
    ingest(settings, paths)
    with caplog.at_level(logging.WARNING, logger="gaitops"):
        validate(settings, paths)
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any(
        f"the label varies within 1 of 12 subjects (e.g. subject '{first}': control, parkinsons)"
        in m
        for m in warned
    ), warned


def refused_by_the_gate(settings, paths) -> str:
    """Ingest the file, then the message validation refuses it with."""
    ingest(settings, paths)
    with pytest.raises(ValidationFailed) as caught:
        validate(settings, paths)
    return str(caught.value)


def test_angles_in_radians_fail_with_the_line_and_the_scale_fix(project, tiny_settings, tiny_table):
    csv, paths, stored = project
    tiny_table.assign(angle=np.deg2rad(tiny_table["angle"])).to_csv(csv, index=False)
    settings = settings_for(tiny_settings, csv)
    message = refused_by_the_gate(settings, paths)
    first_knee = int(tiny_table.index[tiny_table["joint"] == "knee"][0]) + 2
    assert 'motion` where curve=="knee/sagittal"' in message
    assert f"'line': {first_knee}," in message and "Lines are the data file's" in message
    assert "set data.conventions: {knee/sagittal: {scale: 57.2958}}" in message
    assert unchanged(paths, stored)
    curves = {"hip/sagittal", "knee/sagittal", "ankle/sagittal", "pelvis/frontal"}
    fixed = settings_for(
        tiny_settings, csv, data={"conventions": {c: {"scale": 57.2958} for c in curves}}
    )
    ingest(fixed, paths)
    assert validate(fixed, paths)["success"]


def test_an_unknown_joint_spelling_names_its_file_line_and_the_mapping_fix(
    project, tiny_settings, tiny_table
):
    csv, paths, stored = project
    theirs = tiny_table.assign(joint=tiny_table["joint"].replace({"knee": "knee_flexion"}))
    theirs.to_csv(csv, index=False)
    settings = settings_for(tiny_settings, csv)
    message = refused_by_the_gate(settings, paths)
    first = int(tiny_table.index[tiny_table["joint"] == "knee"][0]) + 2
    assert "expect_column_values_to_be_in_set on `curve`" in message
    assert f"{{'line': {first}, 'subject'" in message and "'row'" not in message
    assert "data.values.joint / data.values.plane" in message and "data.curves" in message
    assert "gaitops.data.schema" not in message  # no code symbols as the fix
    assert unchanged(paths, stored)
    mapped = settings_for(tiny_settings, csv, data={"values": {"joint": {"knee_flexion": "knee"}}})
    ingest(mapped, paths)
    assert validate(mapped, paths)["success"]
