"""Summaries of many runs per sampler: best-so-far curves, final best, area under the curve,
epochs to target, pairwise one-sided Mann-Whitney U tests (Holm-corrected) and Borda points."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

import numpy as np
from scipy.stats import mannwhitneyu

from gaitops.tuning.benchmark.runs import Trajectory

TARGET_SHARE = 0.95


def on_grid(trajectory: Trajectory, grid: list[int]) -> np.ndarray:
    """Best-so-far value at each epoch count of `grid` (NaN before the first step ends)."""
    best = trajectory.best_so_far
    out = np.full(len(grid), np.nan)
    for i, epochs in enumerate(grid):
        done = [k for k, e in enumerate(trajectory.epochs) if e <= epochs]
        if done:
            out[i] = best[done[-1]]
    return out


@dataclass(frozen=True)
class SamplerSummary:
    sampler: str
    runs: int
    final_mean: float
    final_sd: float
    auc_mean: float  # mean best-so-far over the grid (normalised area)
    auc_sd: float
    epochs_to_target_median: float  # NaN when under half the runs reach it
    reached_target: float  # share of runs reaching the target
    wall_seconds: float  # mean per run
    sampler_ms_per_trial: float
    borda: int = 0
    beats: tuple[str, ...] = ()


def summarise(
    runs: dict[str, list[Trajectory]], grid: list[int], alpha: float = 0.05
) -> tuple[list[SamplerSummary], float, dict[tuple[str, str], float]]:
    """Per sampler figures, the target value, and Holm-adjusted p-values of "A better than B"."""
    finals = {name: np.array([on_grid(t, grid)[-1] for t in ts]) for name, ts in runs.items()}
    target = TARGET_SHARE * max(float(np.nanmax(v)) for v in finals.values())
    pairs = list(permutations(sorted(runs), 2))
    raw = {
        (a, b): float(mannwhitneyu(finals[a], finals[b], alternative="greater").pvalue)
        for a, b in pairs
    }
    adjusted = holm(raw)
    beaten = {
        name: tuple(b for (a, b), p in adjusted.items() if a == name and p < alpha) for name in runs
    }
    summaries = []
    for name, trajectories in runs.items():
        curves = np.array([on_grid(t, grid) for t in trajectories])
        reach = [_epochs_to(t, target) for t in trajectories]
        reached = [r for r in reach if r is not None]
        trials = sum(len(t.values) for t in trajectories)
        summaries.append(
            SamplerSummary(
                sampler=name,
                runs=len(trajectories),
                final_mean=float(np.mean(finals[name])),
                final_sd=float(np.std(finals[name], ddof=1)) if len(trajectories) > 1 else 0.0,
                auc_mean=float(np.nanmean(curves, axis=1).mean()),
                auc_sd=float(np.nanmean(curves, axis=1).std(ddof=1))
                if len(trajectories) > 1
                else 0.0,
                epochs_to_target_median=float(np.median(reached))
                if len(reached) * 2 >= len(reach)
                else float("nan"),
                reached_target=len(reached) / len(reach),
                wall_seconds=float(np.mean([t.wall_seconds for t in trajectories])),
                sampler_ms_per_trial=1000
                * sum(t.sampler_seconds for t in trajectories)
                / max(trials, 1),
                borda=len(beaten[name]),
                beats=beaten[name],
            )
        )
    return summaries, target, adjusted


def _epochs_to(trajectory: Trajectory, target: float) -> int | None:
    for epochs, value in zip(trajectory.epochs, trajectory.best_so_far, strict=True):
        if value >= target:
            return epochs
    return None


def holm(p_values: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    """Holm-Bonferroni adjusted p-values (family-wise error control)."""
    order = sorted(p_values, key=p_values.get)
    m, running, out = len(order), 0.0, {}
    for rank, key in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[key]))
        out[key] = running
    return out
