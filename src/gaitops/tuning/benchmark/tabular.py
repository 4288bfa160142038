"""A tabulated problem as arrays: each configuration's validation loss after every epoch for
each training seed, and what the samplers are judged on.

The value of a trial is the validation loss at its best epoch (lower is better). The optimum
is the lowest value of any (configuration, training seed); random search's expected best
after n trials is exact: each random trial is a uniform draw of a configuration (and of a
training seed, by common random numbers), so its value is a uniform draw from all values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from gaitops.tuning.space import SearchSpace


@dataclass(frozen=True)
class TabularProblem:
    name: str
    space: SearchSpace
    losses: np.ndarray  # (configurations, training seeds, epochs)
    information: np.ndarray  # same shape: the representation's information after each epoch
    seconds_per_epoch: np.ndarray  # (configurations, training seeds)
    trials: int  # the budget, in trials of full length
    kind: str = "tabulated"  # tabulated | positive_control | negative_control

    @property
    def epochs(self) -> int:
        return self.losses.shape[2]

    @property
    def seeds(self) -> int:
        return self.losses.shape[1]

    @property
    def budget_epochs(self) -> int:
        return self.trials * self.epochs

    def best_epoch(self, configuration: int, seed: int, epochs: int | None = None) -> int:
        """The epoch with the lowest finite loss within `epochs` (first on ties; the last when
        none is finite)."""
        curve = self.losses[configuration, seed, : epochs or self.epochs]
        finite = np.isfinite(curve)
        if not finite.any():
            return len(curve) - 1
        return int(np.flatnonzero(finite)[np.argmin(curve[finite])])

    def value(self, configuration: int, seed: int) -> float:
        """A full trial's value: its loss at the best epoch."""
        return float(self.values()[configuration, seed])

    def values(self) -> np.ndarray:
        """Every full trial's value, (configurations, training seeds); a run whose loss was
        never finite counts as the worst finite value of the table."""
        return self._values

    @cached_property
    def _values(self) -> np.ndarray:
        finite = np.isfinite(self.losses)
        worst = float(self.losses[finite].max()) if finite.any() else 0.0
        best = np.where(finite, self.losses, np.inf).min(axis=2)
        return np.where(np.isfinite(best), best, worst)

    @cached_property
    def optimum(self) -> float:
        return float(self.values().min())

    def random_expected_best(self, trials: int) -> float:
        """E[best of `trials` uniform draws] of the values, exactly."""
        return expected_minimum(self.values().ravel(), trials)

    def regret(self, best: float, trials: int | None = None) -> float:
        """Normalised regret of a best value: 0 at the optimum, 1 at random search's expected
        best after `trials` (default: the budget)."""
        floor = self.optimum
        scale = self.random_expected_best(trials or self.trials) - floor
        return float((best - floor) / scale) if scale > 0 else 0.0

    def shuffled(self, seed: int) -> TabularProblem:
        """The negative control: whole configurations' results permuted among configurations,
        so the parameters say nothing about the outcome."""
        return replace(self.permuted(seed), name=f"{self.name}-shuffled", kind="negative_control")

    def permuted(self, seed: int) -> TabularProblem:
        """The same problem with whole configurations' results permuted by `seed` (the negative
        control draws one per run seed; the optimum and random's expectation do not change)."""
        order = np.random.default_rng(seed).permutation(self.losses.shape[0])
        return replace(
            self,
            losses=self.losses[order],
            information=self.information[order],
            seconds_per_epoch=self.seconds_per_epoch[order],
        )

    @classmethod
    def from_frame(
        cls, name: str, frame: pd.DataFrame, space: SearchSpace, trials: int
    ) -> TabularProblem:
        """From a table with one row per (configuration, training_seed, epoch)."""
        configurations = len(space.actions)
        seeds = int(frame["training_seed"].max()) + 1
        epochs = int(frame["epoch"].max()) + 1
        if len(frame) != configurations * seeds * epochs:
            raise ValueError(
                f"{name}: the table has {len(frame)} rows, not {configurations} configurations x "
                f"{seeds} seeds x {epochs} epochs"
            )
        ordered = frame.sort_values(["configuration", "training_seed", "epoch"])
        shape = (configurations, seeds, epochs)
        losses = ordered["validation_loss"].to_numpy(dtype=float).reshape(shape)
        information = ordered["information"].to_numpy(dtype=float).reshape(shape)
        seconds = ordered["seconds"].to_numpy(dtype=float).reshape(shape)[:, :, 0]
        return cls(name, space, losses, information, seconds, trials)


def expected_minimum(values: np.ndarray, draws: int) -> float:
    """E[min of `draws` independent uniform draws from `values`] (with replacement), exactly:
    sum over sorted values v_(k) of v_(k) x (P(min >= v_(k)) - P(min >= v_(k+1)))."""
    ordered = np.sort(np.asarray(values, dtype=float))
    m = len(ordered)
    survive = ((m - np.arange(m)) / m) ** draws  # P(all draws among the m - k largest)
    following = np.append(survive[1:], 0.0)
    return float(np.sum(ordered * (survive - following)))
