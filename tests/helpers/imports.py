"""Which project files a stage's command imports, found in a fresh interpreter."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DIRS = ("src/gaitops", "flows")

# Third-party packages the stages import, loaded once by the probe: which project files an import
# loads does not depend on them having been imported already (none of them imports gaitops).
PRELOADED = (
    "numpy", "pandas", "scipy", "sklearn", "torch", "pytorch_lightning", "captum", "lime",
    "great_expectations", "optuna", "prefect", "pydantic", "yaml",
)  # fmt: skip

_PROBE = """
import importlib, json, os, sys
from pathlib import Path
root = Path(sys.argv[1])
folders = json.loads(sys.argv[2])  # PROJECT_DIRS

def project_files():
    found = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file:
            continue
        path = Path(file).resolve()
        for folder in folders:
            if path.is_relative_to(root / folder):
                found.add(str(path.relative_to(root)))
    return sorted(found)

for name in sys.argv[3:]:
    try:
        importlib.import_module(name)
    except ImportError:
        pass
print(json.dumps(project_files()), flush=True)  # [] : nothing of the project loaded yet
for line in sys.stdin:  # one request per line: the modules to import, in a fork of this process
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            for name in json.loads(line):
                importlib.import_module(name)
            answer = project_files()
        except BaseException as exc:
            answer = {"error": repr(exc)}
        with os.fdopen(write, "w") as out:
            out.write(json.dumps(answer))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as answer:
        print(answer.read(), flush=True)
    os.waitpid(pid, 0)
"""
_probe: subprocess.Popen[str] | None = None


def _started_probe() -> subprocess.Popen[str]:
    """One interpreter holding the third-party packages, forked for each question: each answer
    is as a fresh interpreter would give it, without importing torch and Prefect anew."""
    global _probe
    if _probe is None or _probe.poll() is not None:
        _probe = subprocess.Popen(
            [sys.executable, "-c", _PROBE, str(ROOT), json.dumps(PROJECT_DIRS), *PRELOADED],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert _probe.stdout is not None
        assert json.loads(_probe.stdout.readline()) == [], "a preloaded package loaded gaitops"
    return _probe


def project_imports(*modules: str) -> list[str]:
    """Project files (relative to the root) loaded by importing `modules` in a new process."""
    probe = _started_probe()
    assert probe.stdin is not None and probe.stdout is not None
    probe.stdin.write(json.dumps(list(modules)) + "\n")
    probe.stdin.flush()
    answer = json.loads(probe.stdout.readline())
    assert not isinstance(answer, dict), f"importing {modules} failed: {answer['error']}"
    return answer


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
