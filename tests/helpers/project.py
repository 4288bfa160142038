"""Throwaway git + DVC projects holding the pipeline, and commands run in them."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from gaitops.config import Settings, load_settings
from gaitops.data.external import record_external_files
from gaitops.models.registry import MODELS, model_options
from gaitops.pipeline import addresses, split_address
from gaitops.report.offline_vega import install_plot_templates

ROOT = Path(__file__).resolve().parents[2]
# the test modules that start from the session's reproduced tiny project
# (tests/integration/conftest.py), and the name of the work unit they make together: the suite's
# scheduler (helpers/scheduling.py) gives them to one worker, which builds the project once
REPRODUCED_MODULES = frozenset(
    f"tests/integration/{name}.py" for name in ("test_dask", "test_pipeline", "test_remote")
)
REPRODUCED_GROUP = "reproduced_tiny"


@dataclass(frozen=True)
class Reproduced:
    """A project after `dvc repro`, and what the Prefect server showed right after it."""

    path: Path
    result: subprocess.CompletedProcess[str]
    runs: list[tuple[str, str]]  # the flow runs it made: (flow name, state type), sorted
    train_fold_logs: dict[str, list[str]]  # its train run's fold tasks: name -> log messages


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tool_env(api_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAITOPS_")}
    env.update(
        {
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "PREFECT_API_URL": api_url,
            "DVC_NO_ANALYTICS": "1",
            "DO_NOT_TRACK": "1",
            **(extra or {}),
        }
    )
    return env


def make_project(target: Path, params: dict) -> Path:
    """A fresh git + DVC repository holding the pipeline and the given params."""
    target.mkdir(parents=True, exist_ok=True)
    for item in ("dvc.yaml", "flows", "src", "data/raw"):
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(
                source, target / item, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy2(source, target / item)
    settings = Settings.model_validate(params)
    full = settings.model_dump(by_alias=True)  # every section DVC tracks
    full["models"] = {  # every model's section, as params.yaml states them (select reads several)
        name: model_options(settings, name).model_dump(mode="json") for name in MODELS
    }
    (target / "params.yaml").write_text(yaml.safe_dump(full, sort_keys=False))
    record_external_files(settings, target)  # what `gaitops run` does before each retrain
    for command in (["git", "init", "-q"], ["dvc", "init", "-q"]):
        subprocess.run(command, cwd=target, check=True, env=tool_env(""))
    # the project's own DVC settings (no analytics, plots drawn offline), not `dvc config` twice,
    # and what DVC leaves out of hashed folders (Python's bytecode)
    shutil.copy2(ROOT / ".dvc" / "config", target / ".dvc" / "config")
    shutil.copy2(ROOT / ".dvcignore", target / ".dvcignore")
    install_plot_templates(target / ".dvc")  # what `make install` does
    return target


def copy_project(reproduced: Reproduced, target: Path) -> Path:
    """A copy of a reproduced project (git, DVC cache, outputs, dvc.lock) for a test to change."""
    result = reproduced.result
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    shutil.copytree(reproduced.path, target, symlinks=True)
    return target


def run(command: list[str], project: Path, api_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=project, env=tool_env(api_url), capture_output=True, text=True, timeout=900
    )


def declared_outputs(dvc_yaml: Path, address: str) -> list[str]:
    """The outs, metrics and plots a dvc.yaml declares for one stage address (``${item}``
    replaced by the address's item), as paths relative to the project."""
    stage, item = split_address(address)
    body = yaml.safe_load(dvc_yaml.read_text())["stages"][stage.name]
    body = body["do"] if stage.foreach else body
    entries = body.get("outs", []) + body.get("metrics", []) + body.get("plots", [])
    paths = [next(iter(entry)) if isinstance(entry, dict) else entry for entry in entries]
    return [path.replace("${item}", item or "") for path in paths]


def stale_stages(project: Path, api_url: str) -> list[str]:
    """The stages `dvc status` reports as changed, in pipeline order."""
    import json

    result = run(["dvc", "status", "--json"], project, api_url)
    assert result.returncode == 0, result.stderr
    changed = json.loads(result.stdout or "{}")
    order = addresses(load_settings(project / "params.yaml"))
    assert set(changed) <= set(order), changed
    return [name for name in order if name in changed]
