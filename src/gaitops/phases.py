"""Phases of the gait cycle: a curve's time points grouped into equal windows of the cycle."""

from __future__ import annotations

import numpy as np


def phase_window_of(time_points: int, windows: int) -> np.ndarray:
    """The window index (0..windows-1) of each time point: equal shares of the cycle."""
    return np.minimum((np.arange(time_points) * windows) // time_points, windows - 1)
