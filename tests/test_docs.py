"""The README and docs/ cannot drift: every command, params key and path they name is real,
and the cheap commands run."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
import yaml

from helpers.docs_check import (
    Snippet,
    check_dvc,
    check_gaitops,
    check_make,
    check_overrides,
    commands,
    declared_outputs,
    makefile_targets,
    names_in_code,
    params_key_exists,
    params_keys,
    path_exists,
    repository_paths,
    snippets,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
GAITOPS = str(Path(sys.executable).with_name("gaitops"))
DVC = str(Path(sys.executable).with_name("dvc"))


@cache
def dvc_subcommands() -> frozenset[str]:
    import dvc.cli.parser

    parser = dvc.cli.parser.get_main_parser()
    actions = [a for a in parser._actions if hasattr(a, "choices") and a.choices]
    return frozenset(name for action in actions for name in action.choices)


def _documented() -> list[Snippet]:
    return list(snippets(DOCS, ROOT))


def _commands() -> list[tuple[str, list[str]]]:
    return list(commands(_documented()))


def test_the_docs_name_commands_params_keys_and_paths():
    found = _commands()
    assert sum(words[0] == "gaitops" for _, words in found) >= 10
    assert sum(words[0] == "make" for _, words in found) >= 3
    assert sum(words[0] == "dvc" for _, words in found) >= 5


def test_every_documented_command_exists_with_its_options():
    targets = makefile_targets(ROOT)
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    problems = []
    for where, words in _commands():
        if words[0] == "gaitops":
            problems += check_gaitops(where, words)
        elif words[0] == "make":
            problems += check_make(where, words, targets)
        else:
            problems += check_dvc(where, words, dvc_subcommands())
        problems += check_overrides(where, words, params)
    assert not problems, "\n".join(map(str, problems))


def test_every_documented_params_key_exists():
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    named = [
        (snippet.where, key)
        for snippet in _documented()
        for key in params_keys(snippet, set(params))
    ]
    assert len(named) >= 50  # the docs do name them
    missing = [f"{where}: {key}" for where, key in named if not params_key_exists(key, params)]
    assert not missing, "\n".join(missing)


def test_every_documented_repository_path_exists():
    tracked = set(
        subprocess.run(
            ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
    )
    outputs, code = declared_outputs(ROOT), names_in_code(ROOT)
    missing = [
        f"{snippet.where}: {path}"
        for snippet in _documented()
        for path in repository_paths(snippet)
        if not path_exists(path, ROOT, tracked, outputs, code)
    ]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(
    "line, problem",
    [
        ("gaitops run --no-such-flag", "has no option --no-such-flag"),
        ("gaitops frobnicate", "no such command"),
        ("gaitops server restart", "no such command"),
        ("make no-such-target", "no such target"),
        ("dvc frobnicate", "no such DVC command"),
        ("dvc exp run -S train.max_epochs=10", "no such params key"),
    ],
)
def test_the_checks_fail_on_a_wrong_command(line, problem):
    (where, words), *_ = commands([Snippet("README.md:1", line)])
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    found = check_overrides(where, words, params)
    if words[0] == "gaitops":
        found += check_gaitops(where, words)
    elif words[0] == "make":
        found += check_make(where, words, makefile_targets(ROOT))
    else:
        found += check_dvc(where, words, dvc_subcommands())
    assert any(problem in str(p) for p in found), found


def test_the_checks_accept_right_commands_and_find_paths():
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    right = "PREFECT_API_URL=x gaitops run -S models.resnet1d.max_epochs=10 --allow-fallback"
    (where, words), *_ = commands([Snippet("README.md:1", right)])
    assert check_gaitops(where, words) == [] and check_overrides(where, words, params) == []
    paths = list(repository_paths(Snippet("x:1", "see src/gaitops/cli.py:12 and data/models/")))
    assert paths == ["src/gaitops/cli.py", "data/models/"]
    tracked, outputs = {"src/gaitops/cli.py"}, declared_outputs(ROOT)
    assert path_exists("data/models/final.pt", ROOT, tracked, outputs)
    assert not path_exists("src/gaitops/nothing.py", ROOT, tracked, outputs)


@pytest.mark.parametrize(
    "command",
    [
        [GAITOPS, "--help"],
        [GAITOPS, "lineage", "data/models/final.pt"],
        [DVC, "dag"],
        [DVC, "metrics", "show"],
    ],
    ids=lambda c: " ".join(Path(c[0]).name if i == 0 else w for i, w in enumerate(c)),
)
def test_the_cheap_documented_commands_run(command):
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_server_status_says_up_or_down():
    done = subprocess.run(
        [GAITOPS, "server", "status"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    said = (done.stdout + done.stderr).strip()
    state = re.search(r": (up|down)( \(database: [^)]*\))?$", said)
    assert state is not None, said
    assert (done.returncode, state.group(1)) in ((0, "up"), (1, "down")), said
