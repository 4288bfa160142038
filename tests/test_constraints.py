"""constraints.txt records the resolved dependency set: every dependency pinned, and the
environment the tests run in installed from it."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pins() -> dict[str, str]:
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    pinned = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {_name(name): value.strip() for name, value in pinned}


def test_every_dependency_is_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = project["dependencies"] + extras["dev"] + extras["scale"]  # what make install installs
    missing = sorted({_name(r) for r in wanted} - set(pins()))
    assert not missing, f"not in constraints.txt: {missing}; run `make lock`"


def test_the_installed_versions_are_the_pinned_ones():
    differ = {}
    for name, pinned in pins().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            continue  # pinned for another platform or extra, not installed here
        if installed != pinned:
            differ[name] = (installed, pinned)
    assert not differ, (
        f"installed vs constraints.txt: {differ}; run `make install` (or `make lock`)"
    )
