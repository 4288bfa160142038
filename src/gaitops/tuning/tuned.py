"""The tuned hyper-parameters a `tune` run recorded, and the model section they give."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaitops.config import Settings
from gaitops.errors import ConfigError, PipelineStateError
from gaitops.io import read_json
from gaitops.models.objective import configure
from gaitops.models.registry import model_options
from gaitops.settings.models import OptimisationSettings


def hyperparameters(
    settings: Settings, tuned_file: Path, root: Path
) -> tuple[OptimisationSettings, dict[str, Any]]:
    """The selected model's settings (params.yaml's, or with the tuned overrides) and a record
    of where they came from, for the metrics."""
    base = model_options(settings)
    if settings.train.hyperparameters == "params":
        return base, {"from": "params.yaml", "values": base.model_dump(mode="json")}
    if not tuned_file.exists():
        raise PipelineStateError(f"{tuned_file}: missing. Run the tune stage first.")
    tuned = read_json(tuned_file)
    if not tuned.get("tuned"):
        raise ConfigError(
            "train.hyperparameters is `tuned` but nothing was tuned (tune.enabled is false): "
            "set tune.enabled: true, or train.hyperparameters: params"
        )
    if tuned["model"] != settings.train.model or tuned["task"] != settings.train.task:
        raise ConfigError(
            f"{tuned_file} holds parameters tuned for {tuned['task']} / {tuned['model']}, "
            f"not {settings.train.task} / {settings.train.model}: run the tune stage again"
        )
    chosen = configure(base, tuned["overrides"])
    record = {
        "from": str(tuned_file.relative_to(root)),
        "study": tuned.get("study_name"),
        "sampler": tuned["sampler"],
        "values": chosen.model_dump(mode="json"),
    }
    return chosen, record
