"""Mutual information between a model's learned representation and the target (MIM's reward).

The representation is the input of the network's last linear layer (the penultimate layer) on
validation samples. Two named estimators:

- ``binned`` (default): each representation unit and the target (regression: the target too)
  cut into equal-frequency bins (``bins``, fewer when samples are few: at least 5 samples per
  bin); the plug-in MI of each unit with the target with the Miller-Madow bias correction, in
  nats, divided by the target's entropy and averaged over units: about 0 = independent, 1 = the
  target is a function of every unit;
- ``knn``: scikit-learn's k-nearest-neighbour estimators (``mutual_info_classif`` /
  ``mutual_info_regression``, Kraskov et al. 2004) per unit, divided by the same entropy.

The source paper asks for a representation that is "informative and non-redundant". By default
only the first (relevance) is measured; with ``redundancy`` the mean MI between pairs of units
(binned, each divided by the pair's smaller entropy) is subtracted, floored at 0: units that
repeat each other then earn less.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import torch
from torch import nn

Estimator = Literal["binned", "knn"]


def _bin(values: np.ndarray, bins: int) -> np.ndarray:
    """Equal-frequency bin index of each value (ties share a bin)."""
    edges = np.unique(np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1]))
    return np.searchsorted(edges, values, side="right")


def _entropy(codes: np.ndarray) -> float:
    counts = np.bincount(codes)
    p = counts[counts > 0] / len(codes)
    return float(-(p * np.log(p)).sum())


def _occupied(codes: np.ndarray) -> int:
    return int((np.bincount(codes) > 0).sum())


def binned_mutual_information(x: np.ndarray, y_codes: np.ndarray, bins: int) -> float:
    """MI (nats) between one variable, binned, and discrete codes: plug-in estimate with the
    Miller-Madow correction (each entropy + (occupied cells - 1) / 2n), floored at 0."""
    x_codes = _bin(x, bins)
    joint = x_codes * (y_codes.max() + 1) + y_codes
    plug_in = _entropy(x_codes) + _entropy(y_codes) - _entropy(joint)
    correction = (_occupied(x_codes) + _occupied(y_codes) - _occupied(joint) - 1) / (2 * len(x))
    return max(0.0, plug_in + correction)


def usable_bins(n: int, bins: int) -> int:
    """At most `bins`, at least 2, with about 5 samples per bin."""
    return max(2, min(bins, n // 5))


def representation_information(
    representation: np.ndarray,
    target: np.ndarray,
    classification: bool,
    estimator: Estimator = "binned",
    bins: int = 8,
    seed: int = 0,
    redundancy: bool = False,
) -> float:
    """Mean over representation units of MI(unit; target) / H(target), in [0, 1]; with
    `redundancy`, minus the units' mean pairwise normalised MI (floored at 0)."""
    units = representation.reshape(len(representation), -1)
    bins = usable_bins(len(units), bins)
    y_codes = target.astype(np.int64) if classification else _bin(target, bins)
    y_codes = np.unique(y_codes, return_inverse=True)[1]
    entropy = _entropy(y_codes)
    if entropy == 0 or units.shape[1] == 0:
        return 0.0
    if estimator == "binned":
        values = [
            binned_mutual_information(units[:, j], y_codes, bins) for j in range(units.shape[1])
        ]
    else:
        from sklearn.feature_selection import mutual_info_classif, mutual_info_regression

        if classification:
            values = mutual_info_classif(units, y_codes, random_state=seed)
        else:
            values = mutual_info_regression(units, target, random_state=seed)
    relevance = float(np.clip(np.mean(values) / entropy, 0.0, 1.0))
    if not redundancy:
        return relevance
    return max(0.0, relevance - inter_unit_information(units, bins))


MAX_REDUNDANCY_UNITS = 64  # pairs among at most this many units (evenly chosen)


def inter_unit_information(units: np.ndarray, bins: int) -> float:
    """Mean over pairs of units of MI(u_j; u_k) / min(H(u_j), H(u_k)) (binned, Miller-Madow),
    in [0, 1]; constant units count as 0."""
    n_units = units.shape[1]
    chosen = np.unique(np.linspace(0, n_units - 1, min(n_units, MAX_REDUNDANCY_UNITS)).astype(int))
    codes = [_bin(units[:, j], bins) for j in chosen]
    entropies = [_entropy(c) for c in codes]
    values = []
    for a in range(len(codes)):
        for b in range(a + 1, len(codes)):
            floor = min(entropies[a], entropies[b])
            if floor > 0:
                mi = binned_mutual_information(units[:, chosen[a]], codes[b], bins)
                values.append(min(mi / floor, 1.0))
    return float(np.mean(values)) if values else 0.0


def penultimate(network: nn.Module, x: np.ndarray, chunk: int = 8192) -> np.ndarray:
    """The input of the network's last linear layer, for inputs `x`, in eval mode."""
    heads = [m for m in network.modules() if isinstance(m, nn.Linear)]
    if not heads:
        raise ValueError("the network has no linear layer")
    captured: list[torch.Tensor] = []
    hook = heads[-1].register_forward_hook(lambda _m, inputs, _o: captured.append(inputs[0]))
    was_training = network.training
    network.eval()
    try:
        with torch.no_grad():
            for start in range(0, len(x), chunk):
                network(torch.from_numpy(x[start : start + chunk]))
    finally:
        hook.remove()
        network.train(was_training)
    return torch.cat(captured).numpy()


def information_probe(
    x: np.ndarray,
    y: np.ndarray,
    classification: bool,
    estimator: Estimator = "binned",
    bins: int = 8,
    seed: int = 0,
    redundancy: bool = False,
) -> Callable[[nn.Module], float]:
    """network -> how much its penultimate layer on `x` tells about `y`
    (`representation_information`): the MIM reward's measure, one function wherever it is
    taken (a trial seeds it with its split's seed, the controller with tune.seed; only the knn
    estimator draws on the seed)."""

    def measure(network: nn.Module) -> float:
        return representation_information(
            penultimate(network, x), y, classification, estimator, bins, seed, redundancy
        )

    return measure
