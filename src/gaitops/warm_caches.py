"""Compile the numba kernels of the ROCKET models (aeon's MiniRocket and MultiRocket) once, when
gaitops is installed: numba caches them beside aeon, so the first retrain (multirocket is the
default model) and every later process start with them compiled, instead of spending about a
minute on two cores compiling them.

    python -m gaitops.warm_caches      # make install runs it
"""

from __future__ import annotations

import time

import numpy as np

from gaitops.models.direct_fit import make_estimator


def compile_rocket_kernels() -> float:
    """Fit each ROCKET model once on a tiny random set; the seconds it took."""
    started = time.perf_counter()
    rng = np.random.default_rng(0)
    curves = rng.normal(size=(12, 3, 101)).astype(np.float32)
    labels = np.repeat([0, 1, 2], 4)
    for name in ("minirocket", "multirocket"):
        make_estimator(name, {"kernels": 84}, classification=True, seed=0).fit(curves, labels)
    return time.perf_counter() - started


if __name__ == "__main__":
    print(f"ROCKET kernels compiled and cached in {compile_rocket_kernels():.0f} s")
