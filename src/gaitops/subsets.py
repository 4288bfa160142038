"""Which samples get explained, scored again or carded: at most a limit, evenly spaced."""

from __future__ import annotations

import numpy as np


def evenly_spaced(index: np.ndarray, limit: int) -> np.ndarray:
    """At most `limit` entries of `index`, evenly spaced (all when fewer): deterministic."""
    if len(index) <= limit:
        return index
    return index[np.linspace(0, len(index) - 1, limit).astype(int)]
