"""The benchmark's tables (markdown) and figures: anytime regret, ECDF of final regret,
average rank against budget, and the critical-difference diagram."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from gaitops.io import atomic_path
from gaitops.tuning.benchmark.statistics import (
    ALPHA,
    EQUIVALENCE_MARGIN,
    Comparison,
)

REGRET_FLOOR = 1e-3  # regret 0 (the optimum found) drawn here on the log axes


def _f(value: float, digits: int = 3) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:.{digits}f}"


def comparison_table(comparisons: list[Comparison], family: list[str]) -> str:
    """One row per arm: regret [95 % CI], paired difference with random, Holm p, A12, TOST."""
    lines = [
        "| arm | seeds | regret at budget [95 % CI] | minus random [95 % CI] | p (Holm) | A12 | "
        f"equivalent to random (TOST ±{EQUIVALENCE_MARGIN}) | distinct configurations | ms / trial |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in sorted(comparisons, key=lambda c: c.regret_mean):
        p = "–" if c.arm == "random" else f"{c.p_holm:.2g}" + ("" if c.arm in family else " (raw)")
        equivalent = "–" if c.arm == "random" else ("yes" if c.equivalent else "no")
        lines.append(
            f"| {c.arm} | {c.seeds} | {_f(c.regret_mean)} [{_f(c.regret_low)}, "
            f"{_f(c.regret_high)}] | {_f(c.difference_mean)} [{_f(c.difference_low)}, "
            f"{_f(c.difference_high)}] | {p} | {_f(c.a12, 2)} | {equivalent} "
            f"(p {_f(c.tost_p, 2)}) | {c.distinct_mean:.1f} | {c.sampler_ms_per_trial:.1f} |"
        )
    return "\n".join(lines) + "\n"


def significant(c: Comparison) -> bool:
    return c.p_holm < ALPHA


def anytime_figure(path: Path, panels: list[tuple[str, dict[str, dict[str, list[float]]]]]) -> None:
    """Mean normalised regret against epochs spent, one panel per problem."""
    columns = min(4, len(panels))
    rows = int(np.ceil(len(panels) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(4.2 * columns, 3.2 * rows), squeeze=False)
    for ax, (title, curves) in zip(axes.ravel(), panels, strict=False):
        for arm, curve in sorted(curves.items()):
            style = "--" if "+" in arm else "-"
            shown = np.maximum(curve["regret"], REGRET_FLOOR)
            ax.plot(curve["epochs"], shown, style, label=arm, linewidth=1.2)
        ax.axhline(1.0, color="grey", linewidth=0.6)
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("training epochs spent")
        ax.set_ylabel("normalised regret (log)")
        ax.set_yscale("log")
    for ax in axes.ravel()[len(panels) :]:
        ax.axis("off")
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=6, fontsize=7)
    figure.text(0.01, 0.01, f"regret 0 is drawn at {REGRET_FLOOR}", fontsize=7)
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    with atomic_path(path) as tmp:
        figure.savefig(tmp, dpi=110, format="png")
    plt.close(figure)


def ecdf_figure(path: Path, regrets: dict[str, np.ndarray], title: str) -> None:
    """The empirical distribution of final regret over every run of every tabulated problem."""
    figure, ax = plt.subplots(figsize=(6, 4))
    for arm, values in sorted(regrets.items()):
        ordered = np.maximum(np.sort(values), REGRET_FLOOR)
        ax.step(ordered, np.arange(1, len(ordered) + 1) / len(ordered), label=arm, linewidth=1)
    ax.set_xscale("log")
    ax.set_xlabel(f"normalised regret at budget (log; 0 drawn at {REGRET_FLOOR})")
    ax.set_ylabel("share of runs")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize=6, ncol=2)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, dpi=110, format="png")
    plt.close(figure)


def rank_figure(path: Path, fractions: list[float], ranks: dict[str, list[float]]) -> None:
    """Average rank (over problems) against the share of the budget spent."""
    figure, ax = plt.subplots(figsize=(6, 4))
    for arm, values in sorted(ranks.items()):
        ax.plot(fractions, values, "--" if "+" in arm else "-", label=arm, linewidth=1)
    ax.set_xlabel("share of the budget spent")
    ax.set_ylabel("average rank (1 = best)")
    ax.legend(fontsize=6, ncol=2)
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, dpi=110, format="png")
    plt.close(figure)


def critical_difference_figure(path: Path, ranks: dict[str, float], cd: float, n: int) -> None:
    """Arms on an average-rank axis with the Nemenyi critical difference as a bar."""
    ordered = sorted(ranks.items(), key=lambda kv: kv[1])
    figure, ax = plt.subplots(figsize=(7, 0.35 * len(ordered) + 1.2))
    for i, (arm, rank) in enumerate(ordered):
        ax.plot([rank], [i], "o", color="black")
        ax.text(rank + 0.1, i, arm, va="center", fontsize=8)
    low = ordered[0][1]
    ax.plot([low, low + cd], [-1, -1], color="red", linewidth=3)
    ax.text(low, -1.6, f"critical difference {cd:.2f} ({n} problems, α {ALPHA})", fontsize=8)
    ax.set_ylim(-2.2, len(ordered))
    ax.set_yticks([])
    ax.set_xlabel("average rank at the budget (1 = best)")
    figure.tight_layout()
    with atomic_path(path) as tmp:
        figure.savefig(tmp, dpi=110, format="png")
    plt.close(figure)
