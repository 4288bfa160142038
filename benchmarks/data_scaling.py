"""How time and memory grow with the cohort: ingest, validate and train at 1x, 10x and 30x fgdi.

The cohort is fgdi's kinematics ($GAITOPS_DATA_DIR) written as a user's own wide CSV, with each
subject copied k times under new ids (subject, sessions) and 0.5 deg of seeded noise on every
copy's angles, so no two copies are equal. Each size runs the stages directly (no orchestration)
in a fresh process with the project's params (the default model and its baselines). It prints,
per size, the seconds of each stage, the train stage's own estimate made before its first fit,
and the process's peak memory, each beside the 1x run of the same session; then the growth
exponent b of seconds ~ size^b (least squares over the sizes, log-log).

    python benchmarks/data_scaling.py            # fgdi 1x, 10x, 30x (about 25 min on two cores)
    python benchmarks/data_scaling.py --smoke    # synthetic, 1x and 2x, tiny model (make test)
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from gaitops.config import load_settings
from gaitops.data.sources.fgdi import load as load_fgdi
from gaitops.data.sources.synthetic import load as load_synthetic
from gaitops.data.sources.wide import percent_columns

ROOT = Path(__file__).resolve().parents[1]
WORKER = str(Path(__file__).with_name("_stage_worker.py"))
STAGES = ("ingest", "validate", "train")
ID_COLUMNS = ["subject", "session", "cycle", "side", "joint", "plane", "group", "condition"]
PREFIX = "GCpc_"
NOISE_DEGREES = 0.5


def base_table(smoke: bool) -> pd.DataFrame:
    """The canonical table the sizes are made of."""
    settings = load_settings(ROOT / "params.yaml")
    if smoke:
        synthetic = settings.synthetic.model_copy(update={"subjects_per_group": 4})
        return load_synthetic(settings.model_copy(update={"synthetic": synthetic})).table
    return load_fgdi(settings).table


def wide_cohort(table: pd.DataFrame, copies: int, seed: int = 0) -> pd.DataFrame:
    """`copies` renamed, jittered copies of every subject, one row per curve, GCpc_0..100."""
    wide = table.pivot_table(index=ID_COLUMNS, columns="time", values="angle").reset_index()
    wide.columns = [*ID_COLUMNS, *percent_columns(PREFIX)]
    rng = np.random.default_rng(seed)
    parts = []
    for copy in range(copies):
        part = wide.copy()
        if copy:
            for column in ("subject", "session"):
                part[column] = part[column].astype(str) + f"-copy{copy}"
            angles = part[percent_columns(PREFIX)].to_numpy()
            part[percent_columns(PREFIX)] = angles + rng.normal(0, NOISE_DEGREES, angles.shape)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def project_params(smoke: bool) -> dict:
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["data"].update(
        {
            "source": "long_csv",
            "fallback": None,
            "csv_path": "data/raw/cohort.csv",
            "layout": "wide",
            "wide_prefix": PREFIX,
            "columns": {
                **{name: name for name in ID_COLUMNS if name != "group"},
                "label": "group",
            },
        }
    )
    if smoke:
        params["train"].update({"model": "linear", "baselines": ["summary_logistic"], "folds": 3})
    return params


def run_size(table: pd.DataFrame, copies: int, scratch: Path, smoke: bool) -> dict:
    project = scratch / f"x{copies}"
    (project / "data" / "raw").mkdir(parents=True)
    cohort = wide_cohort(table, copies)
    cohort.to_csv(project / "data" / "raw" / "cohort.csv", index=False)
    (project / "params.yaml").write_text(yaml.safe_dump(project_params(smoke)))
    done = subprocess.run(
        [sys.executable, WORKER, str(project), *STAGES], capture_output=True, text=True, cwd=project
    )
    if done.returncode:
        raise SystemExit(f"{copies}x failed:\n{done.stderr[-3000:]}")
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    stats["subjects"] = int(cohort["subject"].nunique())
    stats["rows"] = len(cohort)
    return stats


def growth_exponent(sizes: list[float], values: list[float]) -> float:
    """b in value ~ size^b: the least-squares slope of log(value) on log(size)."""
    return float(np.polyfit(np.log(sizes), np.log(values), 1)[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="synthetic, 1x and 2x, tiny model")
    args = parser.parse_args(argv)
    sizes = (1, 2) if args.smoke else (1, 10, 30)
    table = base_table(args.smoke)
    with tempfile.TemporaryDirectory(prefix="gaitops-scaling-") as scratch:
        runs = {copies: run_size(table, copies, Path(scratch), args.smoke) for copies in sizes}
    base = runs[sizes[0]]
    base_total = sum(base["seconds"].values())
    print(
        f"cost against cohort size ({'synthetic, smoke' if args.smoke else 'fgdi'} copied 1x-"
        f"{sizes[-1]}x; stages run directly; train: the default model and its baselines)"
    )
    header = f"{'size':<5} {'subjects':>8} {'wide rows':>9}"
    header += "".join(f" {stage + ' s':>10}" for stage in STAGES)
    print(f"{header} {'total s':>8} {'ratio':>6} {'estimate s':>10} {'peak MB':>8} {'ratio':>6}")
    for copies, stats in runs.items():
        total = sum(stats["seconds"].values())
        cells = "".join(f" {stats['seconds'][stage]:>10.1f}" for stage in STAGES)
        print(
            f"{copies}x{'':<3} {stats['subjects']:>8} {stats['rows']:>9}{cells} {total:>8.1f} "
            f"{total / base_total:>6.2f} {stats['train_estimate_seconds']:>10.1f} "
            f"{stats['peak_rss_mb']:>8.0f} {stats['peak_rss_mb'] / base['peak_rss_mb']:>6.2f}"
        )
    subjects = [float(runs[c]["subjects"]) for c in sizes]
    exponents = {
        stage: growth_exponent(subjects, [runs[c]["seconds"][stage] for c in sizes])
        for stage in STAGES
    }
    exponents["total"] = growth_exponent(
        subjects, [sum(runs[c]["seconds"].values()) for c in sizes]
    )
    exponents["peak memory"] = growth_exponent(subjects, [runs[c]["peak_rss_mb"] for c in sizes])
    print(
        "growth exponent b (cost ~ subjects^b; 1 = linear): "
        + ", ".join(f"{name} {value:.2f}" for name, value in exponents.items())
    )
    errors = [runs[c]["train_estimate_seconds"] / runs[c]["seconds"]["train"] for c in sizes]
    print(
        "train estimate / measured train seconds: "
        + ", ".join(f"{c}x {ratio:.2f}" for c, ratio in zip(sizes, errors, strict=True))
        + " (the estimate is made before the first fit; the measured seconds include it)"
    )
    if not all(math.isfinite(value) for value in exponents.values()):
        raise SystemExit("a growth exponent is not finite")
    return 0


if __name__ == "__main__":
    sys.exit(main())
