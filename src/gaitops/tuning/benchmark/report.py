"""The benchmark's result table (markdown) and best-so-far figure."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from gaitops.io import atomic_path
from gaitops.tuning.benchmark.runs import Trajectory
from gaitops.tuning.benchmark.statistics import SamplerSummary, on_grid

COLOURS = {
    "qlearning": "#1b9e77",
    "mim": "#d95f02",
    "tpe": "#7570b3",
    "random": "#666666",
    "grid": "#e6ab02",
    "qlearning-controller": "#66a61e",
    "mim-controller": "#e7298a",
}


def _cell(value: float, digits: int = 3) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:.{digits}f}"


def summary_markdown(
    title: str, metric: str, budget: int, target: float, summaries: list[SamplerSummary]
) -> str:
    lines = [
        f"### {title}",
        "",
        f"Headline metric: validation {metric}; budget {budget} training epochs; target = 95 % of "
        f"the best value any run reached ({target:.3f}).",
        "",
        "| sampler | runs | final best (mean ± sd) | AUC of best-so-far | epochs to target (median; share reaching) | Borda | beats (Mann-Whitney, Holm α 0.05) | sampler ms / trial | wall s / run |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for s in sorted(summaries, key=lambda s: (-s.borda, -s.final_mean)):
        lines.append(
            f"| {s.sampler} | {s.runs} | {_cell(s.final_mean)} ± {_cell(s.final_sd)} | "
            f"{_cell(s.auc_mean)} ± {_cell(s.auc_sd)} | {_cell(s.epochs_to_target_median, 0)}; "
            f"{s.reached_target:.0%} | {s.borda} | {', '.join(s.beats) or '–'} | "
            f"{_cell(s.sampler_ms_per_trial, 2)} | {_cell(s.wall_seconds, 2)} |"
        )
    return "\n".join(lines) + "\n"


def best_so_far_figure(
    path: Path, panels: list[tuple[str, str, list[int], dict[str, list[Trajectory]]]]
) -> None:
    """One panel per problem: mean best-so-far per sampler with a ± sd band, against epochs."""
    figure, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4), squeeze=False)
    for axis, (title, metric, grid, runs) in zip(axes[0], panels, strict=True):
        for name, trajectories in sorted(runs.items()):
            curves = np.array([on_grid(t, grid) for t in trajectories])
            mean, sd = np.nanmean(curves, axis=0), np.nanstd(curves, axis=0)
            colour = COLOURS.get(name)
            axis.plot(grid, mean, label=name, color=colour)
            axis.fill_between(grid, mean - sd, mean + sd, alpha=0.15, color=colour)
        axis.set_title(title, fontsize=9)
        axis.set_xlabel("training epochs spent")
        axis.set_ylabel(f"best validation {metric} so far")
    axes[0][0].legend(fontsize=7)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, format="png", dpi=110)
    plt.close(figure)
