"""Run stage functions directly (no Prefect, no DVC) and report time and peak memory as JSON."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from gaitops.config import load_settings
from gaitops.paths import Paths
from gaitops.stages import get_stage


def main(root: str, names: list[str]) -> None:
    settings = load_settings(Path(root) / "params.yaml")
    paths = Paths(Path(root))
    timings = {}
    for name in names:
        start = time.perf_counter()
        get_stage(name).function()(settings, paths)
        timings[name] = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": timings, "peak_rss_mb": peak_mb}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
