"""The tuner benchmark's report: per-problem tables, the controls, the controller experiment,
the pre-registered claims' verdicts, the minimum detectable effect and the wall time
(results.md, summary.json and four figures)."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from gaitops.io import write_json
from gaitops.tuning.benchmark.experiment import FAMILY, ProblemRuns, anytime, regrets_at
from gaitops.tuning.benchmark.report import (
    anytime_figure,
    comparison_table,
    critical_difference_figure,
    ecdf_figure,
    rank_figure,
)
from gaitops.tuning.benchmark.statistics import (
    ALPHA,
    EQUIVALENCE_MARGIN,
    average_ranks,
    bootstrap_mean,
    compare_with_random,
    critical_difference,
    minimum_detectable_effect,
    tost,
    wilcoxon_less,
)

POSITIVE_ARMS = ("tpe", "gp", "cmaes")
MODEL_BASED = ("tpe", "tpe_multivariate", "gp", "cmaes", "linucb")
RANK_FRACTIONS = [round(f, 2) for f in np.linspace(0.1, 1.0, 10)]


_LOADED: dict[tuple[str, str], tuple[Any, dict[str, list[Any]], float]] = {}


def _load(scale: Any, name: str) -> tuple[Any, dict[str, list[Any]], float]:
    """A problem and its runs by arm, read once per report (the rank curves revisit them)."""
    key = (str(scale.out), name)
    if key not in _LOADED:
        _LOADED[key] = _read(scale, name)
    return _LOADED[key]


def _read(scale: Any, name: str) -> tuple[Any, dict[str, list[Any]], float]:
    from tuners import tabular_problem

    problem, _, _ = tabular_problem(name, scale)
    stored = json.loads((scale.out / "runs" / f"{name}.json").read_text())
    return problem, ProblemRuns.from_json(stored).by_arm(), float(stored.get("seconds", 0.0))


def _problem_section(scale: Any, name: str) -> tuple[str, dict[str, Any], dict[str, np.ndarray]]:
    problem, by_arm, _ = _load(scale, name)
    regrets = {
        arm: regrets_at(problem, runs, problem.budget_epochs) for arm, runs in by_arm.items()
    }
    distinct = {arm: np.array([r.distinct for r in runs]) for arm, runs in by_arm.items()}
    ms = {
        arm: 1000 * sum(r.sampler_seconds for r in runs) / max(1, sum(r.trials for r in runs))
        for arm, runs in by_arm.items()
    }
    family = [a for a in FAMILY if a in regrets]
    comparisons = compare_with_random(regrets, distinct, ms, family)
    sds = [float(np.std(regrets[a] - regrets["random"][: len(regrets[a])], ddof=1)) for a in family]
    seeds = int(np.median([len(regrets[a]) for a in family]))
    mde = minimum_detectable_effect(float(np.median(sds)), seeds, ALPHA / len(family))
    trial_seconds = float(problem.seconds_per_epoch.mean() * problem.epochs)
    title = (
        f"### {name} ({problem.kind.replace('_', ' ')})\n\n"
        f"{len(problem.space.actions)} configurations, {problem.epochs} epochs per trial, budget "
        f"{problem.trials} trials ({problem.budget_epochs} epochs); optimum {problem.optimum:.4g}, "
        f"random's expected best {problem.random_expected_best(problem.trials):.4g}. A trial "
        f"trains for {trial_seconds:.2f} s on average. Minimum detectable effect (one-sided "
        f"Wilcoxon at Holm's strictest alpha {ALPHA / len(family):.4f}, power 0.8, {seeds} "
        f"seeds, the run's "
        f"median sd of paired differences {np.median(sds):.3f}): {mde:.3f} regret.\n\n"
    )
    record = {
        "comparisons": [c.__dict__ for c in comparisons],
        "mde": mde,
        "trial_seconds": trial_seconds,
        "kind": problem.kind,
        "anytime": {arm: anytime(problem, runs) for arm, runs in by_arm.items()},
    }
    return title + comparison_table(comparisons, family), record, regrets


def _controls(
    summary: dict[str, Any], regrets: dict[str, dict[str, np.ndarray]], scale: Any
) -> tuple[str, bool]:
    lines, passed = ["## Controls", ""], True
    for name in scale.bbob:
        rows = {c["arm"]: c for c in summary[name]["comparisons"]}
        ok = all(a in rows and rows[a]["p_holm"] < 0.01 for a in POSITIVE_ARMS)
        passed &= ok
        figures = ", ".join(
            f"{a} {rows[a]['regret_mean']:.3f} (p {rows[a]['p_holm']:.1e})" for a in POSITIVE_ARMS
        )
        lines.append(f"- Positive, {name}: {'PASS' if ok else 'FAIL'} — {figures}.")
    rows = {c["arm"]: c for c in summary[scale.shuffled]["comparisons"]}
    beating = [a for a in FAMILY if a in rows and rows[a]["p_holm"] < ALPHA]
    # each run seed permutes the table afresh, so random's expected regret is exactly 1; an arm
    # that repeats configurations expects more with no learning at all, so the pre-registered
    # requirement is non-superiority: mean regret above 1 - delta (tuners/README.md, correction)
    shuffled = regrets[scale.shuffled]
    distinct = {c["arm"]: c["distinct_mean"] for c in summary[scale.shuffled]["comparisons"]}
    tested = {a: shuffled[a] for a in MODEL_BASED if a in shuffled}
    missing = [a for a in MODEL_BASED if a not in shuffled]
    no_gain = {a: non_superiority(values) for a, values in tested.items()}
    equivalence = {a: tost(values - 1.0) for a, values in tested.items()}
    gaining = [a for a, p in no_gain.items() if p >= ALPHA]
    ok = not beating and not gaining and not missing
    passed &= ok
    summary[scale.shuffled]["non_superiority"] = no_gain
    summary[scale.shuffled]["equivalence_to_exact_random"] = equivalence
    lines.append(
        f"- Negative, {scale.shuffled} (permuted afresh per seed): {'PASS' if ok else 'FAIL'} — "
        f"arms beating random (Holm): {', '.join(beating) or 'none'}; model-based arms' mean "
        f"regret above 1 - {EQUIVALENCE_MARGIN} (one-sided p; distinct configurations; two-sided "
        "equivalence p, descriptive): "
        + ", ".join(
            f"{a} {np.mean(tested[a]):.3f} (n {len(tested[a])}, p {no_gain[a]:.2g}; "
            f"{distinct[a]:.1f}; {equivalence[a]:.2g})"
            for a in tested
        )
        + f"; not shown free of gain: {', '.join(gaining) or 'none'}"
        + (f"; missing: {', '.join(missing)}" if missing else "")
        + "."
    )
    return "\n".join(lines) + "\n", passed


def non_superiority(regrets: np.ndarray, margin: float = EQUIVALENCE_MARGIN) -> float:
    """One-sided one-sample t-test of "mean regret > 1 - margin" against random's exact
    expectation 1 (H0: the arm gains at least `margin`); its p-value."""
    values = np.asarray(regrets, dtype=float)
    se = values.std(ddof=1) / np.sqrt(len(values))
    if se == 0:
        return 0.0 if values.mean() > 1 - margin else 1.0
    return float(stats.t.sf((values.mean() - (1 - margin)) / se, len(values) - 1))


def _controller_section(scale: Any) -> tuple[str, dict[str, Any]]:
    lines = ["## Controller mode (live)", ""]
    record: dict[str, Any] = {}
    for name in scale.controller_problems:
        path = scale.out / "controller" / f"{name}.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path)
        lines += [
            f"### {name}",
            "",
            "| arm | seeds | best-epoch validation loss [95 % CI] | fold-0 test metric [95 % CI] | s / run |",
            "|---|---|---|---|---|",
        ]
        means = {}
        for arm, part in frame.groupby("arm", sort=False):
            loss = bootstrap_mean(part["best_validation_loss"].to_numpy())
            test = bootstrap_mean(part["test_metric"].to_numpy())
            means[arm] = loss[0]
            lines.append(
                f"| {arm} | {len(part)} | {loss[0]:.4f} [{loss[1]:.4f}, {loss[2]:.4f}] | "
                f"{test[0]:.3f} [{test[1]:.3f}, {test[2]:.3f}] | {part['seconds'].mean():.1f} |"
            )
        record[name] = {"frame": frame.to_dict(orient="list"), "means": means}
        lines.append("")
    return "\n".join(lines) + "\n", record


def _paired(frame: pd.DataFrame, arm: str, column: str) -> np.ndarray:
    return frame[frame["arm"] == arm].sort_values("seed")[column].to_numpy()


def _claims(
    summary: dict[str, Any], regrets: dict[str, dict[str, np.ndarray]], scale: Any
) -> tuple[str, dict[str, Any]]:
    gait = [p.name for p in scale.problems]
    verdicts: dict[str, Any] = {}
    lines = ["## Pre-registered claims", ""]
    c1 = {}
    for name in gait:
        r = regrets[name]
        ql = bootstrap_mean(r["qlearning"])
        versus_tpe = bootstrap_mean(r["qlearning"] - r["tpe"])
        c1[name] = {
            "ql_regret": ql,
            "ql_minus_tpe": versus_tpe,
            "holds": ql[2] <= 0.8 and versus_tpe[2] < 0.1,
        }
    verdicts["C1"] = c1
    lines.append(
        "- **C1** (QL regret <= 0.8 of random's, non-inferior to TPE by 0.1): "
        + "; ".join(
            f"{n}: {'holds' if v['holds'] else 'fails'} (QL {v['ql_regret'][0]:.3f} "
            f"[{v['ql_regret'][1]:.3f}, {v['ql_regret'][2]:.3f}], QL - TPE {v['ql_minus_tpe'][0]:.3f} "
            f"[{v['ql_minus_tpe'][1]:.3f}, {v['ql_minus_tpe'][2]:.3f}])"
            for n, v in c1.items()
        )
        + "."
    )
    c2 = {n: wilcoxon_less(regrets[n]["mim"], regrets[n]["qlearning"]) for n in gait}
    verdicts["C2"] = {n: {"p": p, "holds": p < ALPHA} for n, p in c2.items()}
    lines.append(
        "- **C2** (MIM < QL): "
        + "; ".join(
            f"{n}: {'holds' if p < ALPHA else 'fails'} (MIM {np.mean(regrets[n]['mim']):.3f} vs QL "
            f"{np.mean(regrets[n]['qlearning']):.3f}, p {p:.2g})"
            for n, p in c2.items()
        )
        + "."
    )
    c3 = {}
    for name in scale.controller_problems:
        path = scale.out / "controller" / f"{name}.csv"
        if not path.exists():
            continue
        frame = pd.read_csv(path)
        cosine = _paired(frame, "cosine", "best_validation_loss")
        for ctrl in ("qlearning", "mim"):
            mine = _paired(frame, ctrl, "best_validation_loss")
            p_random = wilcoxon_less(mine, _paired(frame, "random_actions", "best_validation_loss"))
            p_default = wilcoxon_less(
                mine, _paired(frame, "constant_default", "best_validation_loss")
            )
            upper = bootstrap_mean(mine - cosine)[2]
            c3[f"{name}/{ctrl}"] = {
                "p_vs_random": p_random,
                "p_vs_default": p_default,
                "upper_minus_cosine": upper,
                "margin": 0.05 * float(np.mean(cosine)),
                "holds": p_random < ALPHA
                and p_default < ALPHA
                and upper < 0.05 * float(np.mean(cosine)),
            }
    verdicts["C3"] = c3
    lines.append(
        "- **C3** (controller beats random controller and constant default, non-inferior to cosine): "
        + "; ".join(
            f"{k}: {'holds' if v['holds'] else 'fails'} (p vs random {v['p_vs_random']:.2g}, vs default "
            f"{v['p_vs_default']:.2g}, upper bound minus cosine {v['upper_minus_cosine']:.4f} against "
            f"margin {v['margin']:.4f})"
            for k, v in c3.items()
        )
        + "."
    )
    c4 = {}
    for name in gait:
        rows = {c["arm"]: c for c in summary[name]["comparisons"]}
        seconds = summary[name]["trial_seconds"]
        for arm in ("qlearning", "mim"):
            share = rows[arm]["sampler_ms_per_trial"] / 1000 / seconds
            c4[f"{name}/{arm}"] = {"share": share, "holds": share < 0.01}
    verdicts["C4"] = c4
    lines.append(
        "- **C4** (tuner time < 1 % of training): "
        + "; ".join(
            f"{k}: {'holds' if v['holds'] else 'fails'} ({100 * v['share']:.3f} %)"
            for k, v in c4.items()
        )
        + "."
    )
    return "\n".join(lines) + "\n", verdicts


def _wall_time(scale: Any) -> dict[str, float]:
    parts: dict[str, float] = {}
    for folder in ("tables", "runs", "controller"):
        for path in sorted((scale.out / folder).glob("*.json")):
            parts[f"{folder}/{path.stem}"] = float(json.loads(path.read_text()).get("seconds", 0.0))
    for name in ("steelman", "pilot"):
        path = scale.out / f"{name}.json"
        if path.exists():
            parts[name] = float(json.loads(path.read_text()).get("seconds", 0.0))
    return parts


def _table_training_seconds(scale: Any) -> float:
    """Every tabulated run's training time, summed from the tables' own per-epoch seconds."""
    total = 0.0
    for path in sorted((scale.out / "tables").glob("*.json")):
        total += float(json.loads(path.read_text()).get("training_seconds", 0.0))
    return total


def report(scale: Any) -> None:
    sections, summary, all_regrets, panels = [], {}, {}, []
    for name in scale.run_names():
        text, record, regrets = _problem_section(scale, name)
        sections.append(text)
        summary[name] = record
        all_regrets[name] = regrets
        panels.append((name, record.pop("anytime")))
    controls, passed = _controls(summary, all_regrets, scale)
    controller, controller_record = _controller_section(scale)
    claims, verdicts = _claims(summary, all_regrets, scale)
    gait = [p.name for p in scale.problems]
    shared = sorted(set.intersection(*(set(all_regrets[n]) for n in gait)))
    ranks = average_ranks([{a: all_regrets[n][a] for a in shared} for n in gait])
    cd = critical_difference(len(shared), len(gait))
    wall = _wall_time(scale)
    by_fraction: dict[str, list[float]] = {a: [] for a in shared}
    for fraction in RANK_FRACTIONS:
        per_problem = []
        for n in gait:
            problem, by_arm, _ = _load(scale, n)
            epochs = max(problem.epochs, int(fraction * problem.budget_epochs))
            per_problem.append({a: regrets_at(problem, by_arm[a], epochs) for a in shared})
        for arm, rank in average_ranks(per_problem).items():
            by_fraction[arm].append(rank)
    anytime_figure(scale.out / "anytime.png", panels)
    ecdf_figure(
        scale.out / "ecdf.png",
        {a: np.concatenate([all_regrets[n][a] for n in gait]) for a in shared},
        "final regret, every run of every gait / digits problem",
    )
    rank_figure(scale.out / "ranks.png", RANK_FRACTIONS, by_fraction)
    critical_difference_figure(scale.out / "critical_difference.png", ranks, cd, len(gait))
    pilot_path = scale.out / "pilot.json"
    pilot = json.loads(pilot_path.read_text()) if pilot_path.exists() else {}
    steelman = json.loads((scale.out / "steelman.json").read_text())
    training = _table_training_seconds(scale)
    head = [
        "# Tuner benchmark results",
        "",
        f"Controls: {'both pass' if passed else 'FAILED: the verdicts below do not stand'}. "
        f"Commands' own wall time {sum(wall.values()) / 60:.1f} min on this machine (tabulating "
        f"and running use two processes; a tabulation resumed from its shards counts only its "
        f"last command). Training recorded in the tables: {training / 60:.1f} CPU-minutes.",
        f"LinUCB exploration {steelman['exploration']} (chosen on the BBOB controls only).",
        f"Pilot ({pilot.get('problem', '–')}, {pilot.get('seeds', '–')} seeds): median sd of "
        f"paired regret differences {pilot.get('median_sd', float('nan')):.3f}; minimum "
        f"detectable effect {pilot.get('mde_at_100_seeds', float('nan')):.3f} regret at 100 "
        f"seeds, {pilot.get('mde_at_30_seeds', float('nan')):.3f} at 30 (GP).",
        f"Average rank at the budget over {len(gait)} problems (1 = best): "
        + ", ".join(f"{a} {r:.2f}" for a, r in sorted(ranks.items(), key=lambda kv: kv[1]))
        + f"; Nemenyi critical difference {cd:.2f} (descriptive: the problems share data).",
        "",
    ]
    text = "\n".join([*head, controls, claims, controller, "## Problems", "", *sections])
    (scale.out / "results.md").write_text(text)
    write_json(
        scale.out / "summary.json",
        {
            "problems": summary,
            "controls_pass": passed,
            "claims": verdicts,
            "ranks": ranks,
            "critical_difference": cd,
            "wall_seconds": wall,
            "controller": {k: v["means"] for k, v in controller_record.items()},
        },
    )
    print(text)
