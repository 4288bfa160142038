"""Which project files a stage's command imports, found in a fresh interpreter."""

from __future__ import annotations

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
