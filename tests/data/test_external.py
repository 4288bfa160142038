"""Data files outside the repository: hashed before each retrain, so DVC sees them change."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from gaitops.config import Settings
from gaitops.data.external import MISSING, external_files, record_external_files
from gaitops.data.sources.fgdi import KINEMATICS

ROOT = Path(__file__).resolve().parents[2]


def fgdi_settings() -> Settings:
    return Settings.model_validate({"data": {"source": "fgdi", "download": False}})


def test_a_changed_or_corrupted_data_file_rewrites_the_record(tmp_path, monkeypatch):
    monkeypatch.setenv("GAITOPS_CACHE_DIR", str(tmp_path / "cache"))
    data_dir = tmp_path / "shared"
    file = data_dir / KINEMATICS.relative_path
    file.parent.mkdir(parents=True)
    file.write_text("subject,angle\n1,2\n")
    root = tmp_path / "project"
    assert record_external_files(fgdi_settings(), root, data_dir) is True
    first = json.loads((root / "data" / "external.json").read_text())
    assert record_external_files(fgdi_settings(), root, data_dir) is False  # unchanged: untouched
    file.write_text("subject,angle\n1,3\n")  # a corrupted copy
    assert record_external_files(fgdi_settings(), root, data_dir) is True
    assert json.loads((root / "data" / "external.json").read_text()) != first
    file.unlink()
    assert external_files(fgdi_settings(), root, data_dir) == {"fgdi_kinematics.csv": MISSING}


def test_a_user_file_outside_data_raw_is_hashed_inside_it_is_not(tmp_path):
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("a\n1\n")
    root = tmp_path / "project"
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "mine.csv").write_text("a\n1\n")
    for path, expected in ((outside, {"elsewhere.csv"}), ("data/raw/mine.csv", set())):
        settings = Settings.model_validate({"data": {"source": "long_csv", "csv_path": str(path)}})
        assert set(external_files(settings, root)) == expected


def test_ingest_depends_on_the_record():
    ingest = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]["ingest"]
    assert "data/external.json" in ingest["deps"]
