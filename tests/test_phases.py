import numpy as np

from gaitops.phases import phase_window_of


def test_a_cycle_of_101_points_falls_into_equal_windows_in_order():
    windows = phase_window_of(101, 10)
    assert windows[0] == 0 and windows[-1] == 9
    assert np.all(np.diff(windows) >= 0)
    assert np.bincount(windows).tolist() == [11, 10, 10, 10, 10, 10, 10, 10, 10, 10]


def test_one_window_holds_the_whole_cycle():
    assert set(phase_window_of(101, 1)) == {0}
