"""Random generators that belong to one run: seeded on entry, the caller's state restored on exit."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch


@contextmanager
def own_generators(seed: int) -> Iterator[None]:
    """Seed Python's, NumPy's and torch's global generators for the enclosed run only.

    Two runs with the same seed draw the same numbers whatever ran before them, and a run
    leaves the generators as it found them (dropout and stochastic depth draw from torch's
    global generator, so it cannot simply be passed in).
    """
    saved = random.getstate(), np.random.get_state(), torch.random.get_rng_state()
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    try:
        yield
    finally:
        random.setstate(saved[0])
        np.random.set_state(saved[1])
        torch.random.set_rng_state(saved[2])
