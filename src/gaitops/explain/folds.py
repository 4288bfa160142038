"""What an explainer gets for one fold: the samples explained, the training part, the context."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from gaitops.config import Settings
from gaitops.data.dataset import GaitDataset
from gaitops.explain.base import ExplainContext, Explainer
from gaitops.explain.baselines import baseline_for
from gaitops.explain.registry import get_explainer
from gaitops.explain.segments import segments_for
from gaitops.subsets import evenly_spaced


def training_part(data: GaitDataset, held: np.ndarray) -> np.ndarray:
    """The samples a fold's model may have seen: every sample it does not hold out."""
    return np.setdiff1d(np.arange(len(data.y)), held)


def fold_context(
    data: GaitDataset,
    model: nn.Module,
    held: np.ndarray,
    explainer: Explainer,
    settings: Settings,
    fold: int,
) -> ExplainContext:
    """The baseline, segments and (if the explainer uses it) training part for one fold."""
    seed = settings.train.seed + fold
    reference = training_part(data, held) if explainer.needs_reference else None
    return ExplainContext(
        baseline=baseline_for(model, settings.explain.baseline, seed=seed),
        segments=segments_for(data.x.shape[1:], explainer.grouping, settings.explain.phase_windows),
        reference_inputs=None if reference is None else torch.from_numpy(data.x[reference]),
        reference_targets=None if reference is None else torch.from_numpy(data.y[reference]),
        seed=seed,
    )


def explainer_for(method: str, settings: Settings) -> Explainer:
    """The registered explainer `method` with its options from params."""
    return get_explainer(method)(settings.explain.options_of(method))


def explain_held_out(
    data: GaitDataset,
    model: nn.Module,
    fold: int,
    held: np.ndarray,
    settings: Settings,
    method: str,
) -> dict[str, np.ndarray]:
    """A fold's model explained on (at most explain.max_samples_per_fold, evenly spaced) of its
    held-out samples, toward their true class: their indexes and the method's outputs, with
    its details prefixed ``detail_``."""
    index = evenly_spaced(held, settings.explain.max_samples_per_fold)
    explainer = explainer_for(method, settings)
    targets = torch.from_numpy(data.y[index]) if data.task.is_classification else None
    context = fold_context(data, model, held, explainer, settings, fold)
    explanation = explainer.explain(model, torch.from_numpy(data.x[index]), targets, context)
    arrays = {
        "attributions": explanation.attributions,
        "convergence_error": explanation.convergence_error,
        "examples": explanation.examples,
        **{f"detail_{k}": v for k, v in explanation.details.items()},
    }
    return {"index": index, **{k: v.detach().numpy() for k, v in arrays.items() if v is not None}}
