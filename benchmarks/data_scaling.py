"""How cost grows with data: the pipeline's stages on synthetic cohorts of 1x, 2x and 4x subjects.

Each size runs ingest, validate, train, explain and score directly (no orchestration) in a
fresh process; sizes are interleaved and repeated, the fastest repeat of each kept. Prints
wall time and peak memory per size, and each as a ratio to the 1x run of the same session.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKER = str(Path(__file__).with_name("_stage_worker.py"))
STAGES = ["ingest", "validate", "train", "explain", "score"]
BASE_SUBJECTS_PER_GROUP = 10
SCALES = (1, 2, 4)
REPEATS = 2


def run_size(scale: int, scratch: Path, repeat: int) -> dict:
    project = scratch / f"x{scale}-{repeat}"
    project.mkdir()
    params = yaml.safe_load((ROOT / "params.yaml").read_text())
    params["data"].update({"source": "synthetic", "fallback": None})
    params["synthetic"]["subjects_per_group"] = BASE_SUBJECTS_PER_GROUP * scale
    params["models"]["resnet1d"]["max_epochs"] = 20
    (project / "params.yaml").write_text(yaml.safe_dump(params))
    result = subprocess.run(
        [sys.executable, WORKER, str(project), *STAGES], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gaitops-scaling-") as scratch:
        runs: dict[int, dict] = {}
        for repeat in range(REPEATS):
            for scale in SCALES:
                stats = run_size(scale, Path(scratch), repeat)
                if scale not in runs or sum(stats["seconds"].values()) < sum(
                    runs[scale]["seconds"].values()
                ):
                    runs[scale] = stats
    base_time = sum(runs[1]["seconds"].values())
    base_memory = runs[1]["peak_rss_mb"]
    print(
        f"pipeline cost vs data size (synthetic, {BASE_SUBJECTS_PER_GROUP} subjects per group at 1x, resnet1d 20 epochs)"
    )
    print(
        f"{'size':<5} {'subjects':>8} {'seconds':>8} {'x time':>7} {'train s':>8} {'peak MB':>8} {'x memory':>9}"
    )
    for scale, stats in runs.items():
        total = sum(stats["seconds"].values())
        print(
            f"{scale}x{'':<3} {3 * BASE_SUBJECTS_PER_GROUP * scale:>8} {total:>8.1f} {total / base_time:>7.2f} "
            f"{stats['seconds']['train']:>8.1f} {stats['peak_rss_mb']:>8.0f} {stats['peak_rss_mb'] / base_memory:>9.2f}"
        )


if __name__ == "__main__":
    main()
