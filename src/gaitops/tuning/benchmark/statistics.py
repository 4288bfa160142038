"""The benchmark's statistics on normalised regret (lower is better, random search = 1).

Every comparison is paired by run seed (common random numbers: the same seed meets the same
training noise for every sampler): one-sided paired Wilcoxon signed-rank tests, Holm-adjusted
within each problem's pre-registered family; the mean paired difference with a bootstrap 95 %
interval; Vargha-Delaney A12; a paired TOST for equivalence; the minimum detectable effect;
average ranks and the Nemenyi critical difference across problems.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

ALPHA = 0.05
POWER = 0.8
EQUIVALENCE_MARGIN = 0.1  # regret: TOST's delta against random search
BOOTSTRAP_RESAMPLES = 5000


def holm(p_values: dict[str, float]) -> dict[str, float]:
    """Holm's step-down adjustment (adjusted p-values, monotone, at most 1)."""
    ordered = sorted(p_values, key=lambda k: p_values[k])
    adjusted: dict[str, float] = {}
    running = 0.0
    m = len(ordered)
    for rank, key in enumerate(ordered):
        running = max(running, min(1.0, (m - rank) * p_values[key]))
        adjusted[key] = running
    return adjusted


def wilcoxon_less(a: np.ndarray, b: np.ndarray) -> float:
    """One-sided paired Wilcoxon signed-rank p-value for "a is lower than b" (1 when every
    pair is tied)."""
    difference = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    if np.all(difference == 0):
        return 1.0
    return float(stats.wilcoxon(difference, alternative="less", zero_method="zsplit").pvalue)


def bootstrap_mean(values: np.ndarray, seed: int = 0) -> tuple[float, float, float]:
    """The mean and its percentile bootstrap 95 % interval."""
    values = np.asarray(values, dtype=float)
    rng = np.random.default_rng(seed)
    means = rng.choice(values, size=(BOOTSTRAP_RESAMPLES, len(values))).mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return float(values.mean()), float(low), float(high)


def a12(a: np.ndarray, b: np.ndarray) -> float:
    """Vargha-Delaney A12: the probability that a run of `a` has a lower regret than a run of
    `b` (ties count half); 0.5 = no effect, 0.71+ = a large effect."""
    a, b = np.asarray(a, dtype=float)[:, None], np.asarray(b, dtype=float)[None, :]
    return float(((a < b).sum() + 0.5 * (a == b).sum()) / (a.size * b.size))


def tost(difference: np.ndarray, margin: float = EQUIVALENCE_MARGIN) -> float:
    """Paired two one-sided t-tests: p-value for "the mean difference lies within ±margin"."""
    d = np.asarray(difference, dtype=float)
    n = len(d)
    sd = d.std(ddof=1)
    if sd == 0:
        return 0.0 if abs(d.mean()) < margin else 1.0
    se = sd / math.sqrt(n)
    lower = stats.t.sf((d.mean() + margin) / se, n - 1)  # H0: mean <= -margin
    upper = stats.t.cdf((d.mean() - margin) / se, n - 1)  # H0: mean >= +margin
    return float(max(lower, upper))


def minimum_detectable_effect(sd: float, n: int, alpha: float, power: float = POWER) -> float:
    """The smallest mean paired difference a one-sided Wilcoxon test at `alpha` detects with
    `power`, from the paired differences' sd (normal approximation, times sqrt(pi / 3) for the
    signed-rank test's efficiency against the t-test)."""
    z = stats.norm.ppf(1 - alpha) + stats.norm.ppf(power)
    return float(z * sd / math.sqrt(n) * math.sqrt(math.pi / 3))


@dataclass(frozen=True)
class Comparison:
    """One arm against random search on one problem, paired by seed."""

    arm: str
    seeds: int
    regret_mean: float
    regret_low: float
    regret_high: float
    difference_mean: float  # arm - random (negative: better than random)
    difference_low: float
    difference_high: float
    p: float  # one-sided Wilcoxon, arm < random
    p_holm: float
    a12: float  # P(arm's regret < random's)
    tost_p: float
    equivalent: bool  # TOST at ALPHA within ±EQUIVALENCE_MARGIN
    distinct_mean: float
    sampler_ms_per_trial: float


def compare_with_random(
    regrets: dict[str, np.ndarray],
    distinct: dict[str, np.ndarray],
    sampler_ms: dict[str, float],
    family: list[str],
    reference: str = "random",
) -> list[Comparison]:
    """Each arm against `reference`, paired on the arm's seeds (the first n of the reference's);
    Holm over `family` (arms outside it keep their raw p as p_holm and are marked by
    `family`)."""
    raw: dict[str, float] = {}
    rows = {}
    for arm, values in regrets.items():
        base = regrets[reference][: len(values)]
        difference = values - base
        p = wilcoxon_less(values, base) if arm != reference else 1.0
        raw[arm] = p
        rows[arm] = (values, difference, p)
    adjusted = holm({arm: raw[arm] for arm in family if arm in raw})
    out = []
    for arm, (values, difference, p) in rows.items():
        mean, low, high = bootstrap_mean(values)
        d_mean, d_low, d_high = bootstrap_mean(difference, seed=1)
        tost_p = tost(difference) if arm != reference else 0.0
        out.append(
            Comparison(
                arm,
                len(values),
                mean,
                low,
                high,
                d_mean,
                d_low,
                d_high,
                p,
                adjusted.get(arm, p),
                a12(values, regrets[reference]),
                tost_p,
                tost_p < ALPHA,
                float(np.mean(distinct[arm])),
                sampler_ms[arm],
            )
        )
    return out


def average_ranks(regrets_by_problem: list[dict[str, np.ndarray]]) -> dict[str, float]:
    """Each arm's rank (1 = lowest mean regret) averaged over problems (arms on every one)."""
    arms = sorted(set.intersection(*(set(r) for r in regrets_by_problem)))
    ranks = []
    for regrets in regrets_by_problem:
        means = np.array([np.mean(regrets[a]) for a in arms])
        ranks.append(stats.rankdata(means))
    return dict(zip(arms, np.mean(ranks, axis=0).tolist(), strict=True))


def critical_difference(arms: int, problems: int, alpha: float = ALPHA) -> float:
    """Nemenyi's critical difference of average ranks (Demšar 2006)."""
    q = stats.studentized_range.ppf(1 - alpha, arms, np.inf) / math.sqrt(2)
    return float(q * math.sqrt(arms * (arms + 1) / (6 * problems)))
