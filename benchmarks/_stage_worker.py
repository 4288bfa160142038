"""Run stage addresses directly (no Prefect, no DVC) and report time and peak memory as JSON.

python benchmarks/_stage_worker.py PROJECT ingest validate train   # these addresses
python benchmarks/_stage_worker.py PROJECT all                     # every address, in order
"""

from __future__ import annotations

import json
import logging
import resource
import sys
import time
from pathlib import Path

from gaitops.config import load_settings
from gaitops.paths import Paths
from gaitops.pipeline import addresses, split_address


class EstimateCatcher(logging.Handler):
    """Keeps the train stage's estimate, made before its first fit (a log record's extra)."""

    seconds: float | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if hasattr(record, "training_estimate_seconds"):
            self.seconds = record.training_estimate_seconds


def main(root: str, names: list[str]) -> None:
    settings = load_settings(Path(root) / "params.yaml")
    paths = Paths(Path(root))
    catcher = EstimateCatcher()
    logging.getLogger("gaitops").addHandler(catcher)
    logging.getLogger("gaitops").setLevel(logging.INFO)
    timings = {}
    for address in addresses(settings) if names == ["all"] else names:
        stage, item = split_address(address)
        start = time.perf_counter()
        stage.function()(settings, paths, **({} if item is None else {"item": item}))
        timings[address] = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": timings,
                "peak_rss_mb": peak_mb,
                "train_estimate_seconds": catcher.seconds,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
