import numpy as np

from gaitops.subsets import evenly_spaced


def test_at_most_the_limit_evenly_spaced_from_first_to_last():
    chosen = evenly_spaced(np.arange(100, 200), 5)
    assert chosen.tolist() == [100, 124, 149, 174, 199]


def test_fewer_than_the_limit_are_all_kept():
    index = np.array([3, 1, 4])
    assert evenly_spaced(index, 10) is index
