"""A fitted scikit-learn or aeon estimator behind a torch forward, so it is saved, loaded and
explained like every other gaitops model.

Its forward returns logits (log-probabilities; for a ridge classifier, its decision scores) or
predicted values; no gradient reaches the inputs, so only the explainers that need forward
passes alone apply (the model registry says which models are differentiable). The estimator
is kept as its pickle in a uint8 buffer: a model file is still a dict of tensors, loaded with
``weights_only=True``, and the estimator is unpickled from gaitops' own file on first use.
"""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import torch
from pydantic import Field
from torch import Tensor, nn

from gaitops.settings.models import ClosedFormSettings


class RocketSettings(ClosedFormSettings):
    kernels: int = Field(10_000, ge=84)  # aeon's n_kernels (MiniRocket rounds to a multiple of 84)


class GradientBoostingSettings(ClosedFormSettings):
    max_iter: int = Field(200, ge=1)
    learning_rate: float = Field(0.1, gt=0)
    max_leaf_nodes: int = Field(31, ge=2)


class MultiRocketSettings(RocketSettings):
    kernels: int = Field(6_250, ge=84)  # aeon's n_kernels


def estimator_logits(estimator: Any, x: np.ndarray) -> np.ndarray:
    """Class scores whose softmax ranks the classes as the estimator does."""
    if hasattr(estimator, "predict_proba"):
        return np.log(np.clip(estimator.predict_proba(x), 1e-12, 1.0))
    scores = np.asarray(estimator.decision_function(x), dtype=np.float64)
    return np.stack([np.zeros_like(scores), scores], axis=1) if scores.ndim == 1 else scores


class FittedEstimator(nn.Module):
    """Raw inputs (curves or rows) -> logits (classification) or values (regression)."""

    def __init__(self, classification: bool, estimator: Any | None = None) -> None:
        super().__init__()
        self.classification = classification
        payload = pickle.dumps(estimator, protocol=5) if estimator is not None else b""
        self.register_buffer(
            "estimator_pickle",
            torch.frombuffer(bytearray(payload), dtype=torch.uint8)
            if payload
            else torch.zeros(0, dtype=torch.uint8),
        )
        self._estimator = estimator

    @property
    def estimator(self) -> Any:
        if self._estimator is None:
            self._estimator = pickle.loads(self.estimator_pickle.numpy().tobytes())
        return self._estimator

    def _load_from_state_dict(self, state_dict: dict[str, Any], prefix: str, *args: Any) -> None:
        stored = state_dict.get(prefix + "estimator_pickle")
        if stored is not None:  # the stored estimator's size, not the placeholder's
            self.estimator_pickle = stored.clone()
            self._estimator = None
        super()._load_from_state_dict(state_dict, prefix, *args)

    def forward(self, x: Tensor) -> Tensor:
        inputs = x.detach().cpu().numpy().astype(np.float64)
        if self.classification:
            out = estimator_logits(self.estimator, inputs)
        else:
            out = np.asarray(self.estimator.predict(inputs), dtype=np.float64)
        return torch.from_numpy(np.ascontiguousarray(out)).to(x.dtype)
