"""dvc.lock rewritten after a C-loader parse holds the bytes DVC's own rewrite writes."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import chdir
from pathlib import Path

import dvc.dvcfile
import pytest
import yaml
from dvc.repo import Repo

from gaitops import dvc_lockfile
from gaitops.dvc_lockfile import lockfile_writes_parsed_in_c
from helpers.project import ROOT, tool_env

# params DVC copies into dvc.lock whose YAML spelling a loader could change: exponent floats,
# dates, words YAML 1.1 reads as booleans, nulls, non-ASCII text, long lines, nesting
PARAMS = {
    "rate": 1e-3,
    "big": 12345678901234567890,
    "day": "2026-12-06",
    "answer": "yes",
    "nothing": None,
    "name": "ünïcödé — gait",
    "long": "x" * 150 + " " + "y" * 150,
    "nested": {"list": [1, 2.5, "3"], "flags": [True, False]},
}
DVC_YAML = {
    "stages": {
        name: {
            "cmd": f"python -c \"open('{name}.txt', 'w').write(open('in.txt').read())\"",
            "deps": ["in.txt"],
            "params": list(PARAMS),
            "outs": [f"{name}.txt"],
        }
        for name in ("first", "second")
    }
}


def _repository(target: Path) -> Path:
    target.mkdir()
    (target / "params.yaml").write_text(yaml.safe_dump(PARAMS, allow_unicode=True))
    (target / "dvc.yaml").write_text(yaml.safe_dump(DVC_YAML, sort_keys=False))
    (target / "in.txt").write_text("one\n")
    for command in (["git", "init", "-q"], ["dvc", "init", "-q"], ["dvc", "repro", "-q"]):
        subprocess.run(command, cwd=target, check=True, env=tool_env(""), capture_output=True)
    (target / "in.txt").write_text("two\n")  # every entry's dep hash changes
    return target


def _record_again(project: Path) -> bytes:
    """Each stage's entry written again (after a dep changed), as a stage run records it."""
    with chdir(project), Repo(str(project)) as repo:
        for stage in repo.index.stages:
            stage.save()
            stage.dump(update_pipeline=False)
    return (project / "dvc.lock").read_bytes()


def test_the_lock_holds_the_bytes_dvc_writes(tmp_path):
    original = _repository(tmp_path / "dvc")
    fast = tmp_path / "fast"
    shutil.copytree(original, fast)
    expected = _record_again(original)
    with lockfile_writes_parsed_in_c():
        written = _record_again(fast)
    assert written == expected
    assert b"rate: 0.001" in written and b"answer: yes" in written  # the tricky params are in it


def test_the_lock_is_parsed_in_c_and_dvc_yaml_round_trip(tmp_path, monkeypatch):
    parsed: list[str] = []
    plain = dvc_lockfile._parse_plain
    monkeypatch.setattr(
        dvc_lockfile, "_parse_plain", lambda text, path: parsed.append(path) or plain(text, path)
    )
    project = _repository(tmp_path / "dvc")
    with lockfile_writes_parsed_in_c():
        _record_again(project)
        with dvc.dvcfile.modify_yaml(project / "dvc.yaml") as data:
            assert type(data).__name__ == "CommentedMap"  # comments in dvc.yaml survive
    assert [Path(p).name for p in parsed] == ["dvc.lock", "dvc.lock"]


def test_dvc_is_left_as_it_was_afterwards():
    before = dvc.dvcfile.modify_yaml
    with pytest.raises(RuntimeError), lockfile_writes_parsed_in_c():
        assert dvc.dvcfile.modify_yaml is not before
        raise RuntimeError("a stage failed")
    assert dvc.dvcfile.modify_yaml is before


def test_the_pipeline_lock_reads_the_same_either_way():
    """gaitops' own dvc.lock: what the C loader reads is what the round-trip loader reads."""
    from dvc.utils.serialize._yaml import parse_yaml_for_update

    text = (ROOT / "dvc.lock").read_text()
    assert dvc_lockfile._parse_plain(text, "dvc.lock") == parse_yaml_for_update(text, "dvc.lock")
