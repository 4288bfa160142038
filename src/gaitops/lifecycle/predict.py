"""`gaitops predict FILE`: the model in use on a new recording, with a card per sample saying
where the trusted explainer points."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from gaitops.config import Settings
from gaitops.data.cycles import available_channels
from gaitops.data.dataset import GaitDataset
from gaitops.data.inputs import build_dataset
from gaitops.errors import GaitopsError
from gaitops.explain.base import ExplainContext
from gaitops.explain.baselines import baseline_for
from gaitops.explain.folds import explainer_for
from gaitops.explain.registry import get_explainer
from gaitops.explain.segments import segments_for
from gaitops.io import atomic_directory, write_csv
from gaitops.lifecycle.git import git
from gaitops.lifecycle.model_in_use import ModelInUse, fetch, resolve_model
from gaitops.lifecycle.recording import Recording, read_recording
from gaitops.models.registry import MODELS
from gaitops.models.store import load_model
from gaitops.report.cards import card_markdown, top_segments
from gaitops.report.names import clinical_name, side_names
from gaitops.tasks import TASKS

FALLBACK_EXPLAINER = "feature_ablation"  # forward passes only, no reference set: fits any model


class RecordingMismatch(GaitopsError):
    """A recording the model cannot be used on: other channels, conventions or labels."""


@dataclass(frozen=True)
class Predictions:
    frame: pd.DataFrame  # one row per sample: ids, predicted, p_<class>, actual when labelled
    model: ModelInUse
    explainer: str
    out_dir: Path

    def render(self, rows: int = 20) -> str:
        shown = self.frame.head(rows)
        columns = ["sample", "predicted", "probability", *(["actual"] if "actual" in shown else [])]
        table = shown.assign(probability=shown.filter(like="p_").max(axis=1).round(3))[columns]
        more = f"\n... {len(self.frame) - rows} more" if len(self.frame) > rows else ""
        return (
            f"{len(self.frame)} samples predicted by {self.model.name}\n"
            f"{table.to_string(index=False)}{more}\n"
            f"predictions: {self.out_dir / 'predictions.csv'}; a card per sample "
            f"({self.explainer}): {self.out_dir / 'cards'}"
        )


def _check_fits(recording: Recording, record: dict[str, Any]) -> None:
    """RecordingMismatch naming what differs between the recording and the model's data."""
    about = record.get("about") or {}
    task = TASKS[about.get("task", "group_classification")]
    if task.input_kind != "curves" or not task.is_classification:
        raise RecordingMismatch(
            f"gaitops predict runs curve classifiers; this model is for {task.name}."
        )
    present = available_channels(recording.table)
    missing = [c for c in record["inputs"] if c not in present]
    if missing:
        raise RecordingMismatch(
            f"the recording lacks {len(missing)} of the model's {len(record['inputs'])} curves, "
            f"e.g. {', '.join(missing[:4])} (it has: {', '.join(present[:8])}). Fix: record "
            "those curves, map their spellings (data.values.joint / .plane), or predict with a "
            "model trained on the curves you have (train.channels)."
        )
    trained = (about.get("source") or {}).get("conventions") or {}
    for key in ("angle_conventions", "side_meaning"):
        ours, theirs = recording.conventions.get(key) or None, trained.get(key) or None
        if ours != theirs:
            raise RecordingMismatch(
                f"the recording is read with {key} {json.dumps(ours)}, the model's data with "
                f"{json.dumps(theirs)}. Fix: set data.{key.replace('angle_', '')} in "
                "params.yaml to what the model was trained with."
            )


def _inputs(recording: Recording, record: dict[str, Any]) -> tuple[GaitDataset, list[str] | None]:
    """The model's inputs from the recording, and each sample's actual label when labelled."""
    about = record.get("about") or {}
    label = about.get("label", "group")
    data = build_dataset(
        recording.table,
        TASKS[about.get("task", "group_classification")],
        label,
        list(record["inputs"]),
        about.get("curve_inputs", "angles"),
    )
    if not recording.labelled:
        return data, None
    actual = [str(c) for c in np.asarray(data.classes)[data.y]]
    unseen = sorted(set(actual) - set(record["classes"]))
    if unseen:
        raise RecordingMismatch(
            f"the recording's {label} labels {unseen} are not among the model's classes "
            f"{record['classes']}: it never saw them. Fix: drop the label column to predict "
            f"anyway, or map those labels (data.values.{label})."
        )
    return data, actual


def _trusted(root: Path, model: ModelInUse) -> str | None:
    """The explainer the retrain's compare stage trusted."""
    rev = model.retrain.commit if model.retrain else None
    if rev is None:
        path = root / "records" / "compare.json"
        return json.loads(path.read_text()).get("trusted") if path.exists() else None
    shown = git(root, "show", f"{rev}:records/compare.json", check=False)
    return json.loads(shown).get("trusted") if shown else None


def _cards(
    root: Path,
    settings: Settings,
    model: ModelInUse,
    network: nn.Module,
    record: dict[str, Any],
    data: GaitDataset,
    frame: pd.DataFrame,
    out: Path,
) -> str:
    """A card per sample with the trusted explainer (or feature_ablation where the trusted one
    needs what is not at hand); returns the explainer's name."""
    about = record.get("about") or {}
    trusted = _trusted(root, model)
    method = trusted or FALLBACK_EXPLAINER
    differentiable = MODELS[about.get("model", "linear")].differentiable
    explainer_class = get_explainer(method)
    reference = None
    if explainer_class.needs_gradients and not differentiable:
        method = FALLBACK_EXPLAINER
    elif explainer_class.needs_reference:
        reference = _training_data(root, model, record)
        if reference is None:
            method = FALLBACK_EXPLAINER
    explainer = explainer_for(method, settings)
    classes = list(record["classes"])
    predicted = torch.tensor([classes.index(p) for p in frame["predicted"]])
    context = ExplainContext(
        baseline=baseline_for(network, settings.explain.baseline, seed=settings.train.seed),
        segments=segments_for(data.x.shape[1:], explainer.grouping, settings.explain.phase_windows),
        reference_inputs=None if reference is None else torch.from_numpy(reference.x),
        reference_targets=None
        if reference is None
        else torch.tensor([classes.index(c) for c in np.asarray(reference.classes)[reference.y]]),
        seed=settings.train.seed,
    )
    explanation = explainer.explain(network, torch.from_numpy(data.x), predicted, context)
    attributions = explanation.attributions
    conventions = (about.get("source") or {}).get("conventions") or {}
    sides = side_names(conventions.get("side_meaning"))
    channels = [clinical_name(c, sides) for c in data.input_names]
    out.mkdir(parents=True, exist_ok=True)
    for i, row in frame.reset_index(drop=True).iterrows():
        segments = (
            []
            if attributions is None
            else top_segments(
                attributions[i].detach().numpy(),
                channels,
                settings.explain.phase_windows,
                top=5,
            )
        )
        card = card_markdown(
            row,
            classes,
            method,
            segments,
            None,
            context=f"Subject {row['subject']}, a new recording predicted by {model.name}. "
            + (
                f"Actual **{row['actual']}**, predicted **{row['predicted']}**."
                if "actual" in row
                else f"Predicted **{row['predicted']}**."
            ),
            role="the trusted explainer"
            if method == trusted
            else f"in place of the trusted {trusted}, which needs what is not at hand",
        )
        (out / f"{str(row['sample']).replace('/', '__')}.md").write_text(card)
    return method


def _training_data(root: Path, model: ModelInUse, record: dict[str, Any]) -> GaitDataset | None:
    """The model's own training data (example-based explainers compare with it), or None."""
    if model.retrain is None:
        return None
    about = record.get("about") or {}
    table = pd.read_parquet(fetch(root, model.retrain, "data/canonical/gait.parquet"))
    return build_dataset(
        table,
        TASKS[about["task"]],
        about.get("label", "group"),
        list(record["inputs"]),
        about.get("curve_inputs", "angles"),
    )


def predict_file(
    root: Path, settings: Settings, file: Path, model_name: str | None, out_dir: Path
) -> Predictions:
    """Predict every sample of `file` with the model in use; write predictions and cards."""
    model = resolve_model(root, settings, model_name)
    network, record = load_model(model.path)
    label = (record.get("about") or {}).get("label", "group")
    recording = read_recording(settings, file, label)
    _check_fits(recording, record)
    data, actual = _inputs(recording, record)
    with torch.no_grad():
        probabilities = torch.softmax(network(torch.from_numpy(data.x)), dim=1).numpy()
    classes = list(record["classes"])
    frame = pd.DataFrame(
        {
            "sample": data.sample_ids,
            "subject": data.subjects,
            "predicted": [classes[k] for k in probabilities.argmax(axis=1)],
            **{f"p_{c}": probabilities[:, k].round(6) for k, c in enumerate(classes)},
        }
    )
    if actual is not None:
        frame["actual"] = actual
    with atomic_directory(out_dir) as tmp:
        write_csv(tmp / "predictions.csv", frame)
        method = _cards(root, settings, model, network, record, data, frame, tmp / "cards")
    return Predictions(frame, model, method, out_dir)
