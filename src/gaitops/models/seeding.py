"""What one run owns: its random generators (seeded on entry, the caller's state restored on
exit) and its torch thread count."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import numpy as np
import torch

T = TypeVar("T")
R = TypeVar("R")


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


@contextmanager
def torch_threads(threads: int) -> Iterator[None]:
    """Run the enclosed fit on `threads` intra-op threads (restored on exit).

    The thread count changes the order of floating-point sums, hence the weights: a fit gives
    the same bytes only with the same count, whichever process or worker runs it.
    """
    saved = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


def on_torch_threads(function: Callable[[T], R], threads: int, item: T) -> R:
    """`function(item)` on `threads` torch threads: what a mapped task runs, in any worker."""
    with torch_threads(threads):
        return function(item)


def thread_count() -> int:
    """This process's torch thread count (what a serial run trains with)."""
    return torch.get_num_threads()
