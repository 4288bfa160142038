"""Which project files a stage's command imports, found in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIRS = ("src/gaitops", "flows")

_PROBE = """
import importlib, json, sys
from pathlib import Path
for name in sys.argv[2:]:
    importlib.import_module(name)
root = Path(sys.argv[1])
found = set()
for module in list(sys.modules.values()):
    file = getattr(module, "__file__", None)
    if not file:
        continue
    path = Path(file).resolve()
    for folder in ("src/gaitops", "flows"):
        if path.is_relative_to(root / folder):
            found.add(str(path.relative_to(root)))
print(json.dumps(sorted(found)))
"""


def project_imports(*modules: str) -> list[str]:
    """Project files (relative to the root) loaded by importing `modules` in a new process."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT), *modules],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _module_file(name: str) -> str | None:
    """The project file of a dotted module name (src/gaitops/... or flows/...), if any."""
    parts = name.split(".")
    base = ROOT / "src" if parts[0] == "gaitops" else ROOT
    if parts[0] not in ("gaitops", "flows"):
        return None
    path = base.joinpath(*parts)
    for candidate in (path.with_suffix(".py"), path / "__init__.py"):
        if candidate.exists():
            return str(candidate.relative_to(ROOT))
    return None


def _parents(file: str) -> list[str]:
    """The package __init__ files importing `file` runs first."""
    parts = file.split("/")
    start = 2 if parts[0] == "src" else 1
    inits = ["/".join([*parts[:k], "__init__.py"]) for k in range(start, len(parts))]
    return [f for f in inits if (ROOT / f).exists() and f != file]


def static_imports(file: str) -> set[str]:
    """The project files `file` imports, lazily or not, read from its source."""
    found: set[str] = set()
    for node in ast.walk(ast.parse((ROOT / file).read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            target = _module_file(name)
            if target:
                found |= {target, *_parents(target)}
    return found - {file}


def reached_without(starts: list[str], cut: dict[str, set[str]]) -> set[str]:
    """Project files reachable from the modules `starts` through their imports, except the
    edges `cut` (file -> imported files not followed from it)."""
    todo = [f for f in map(_module_file, starts) if f]
    seen: set[str] = set()
    while todo:
        file = todo.pop()
        if file in seen:
            continue
        seen.add(file)
        todo += sorted(static_imports(file) - cut.get(file, set()))
        todo += _parents(file)
    return seen
