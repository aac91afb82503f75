"""inkbound: the ink bound's sums and maxima in plain Python are numpy's (float64) to the
last bit — numpy is no longer imported for them, and the TAC figures must not move."""

from __future__ import annotations

import math
import random

import numpy as np

from paperlayout.inkbound import _max, _sum


def test_sum_is_numpys_sum_to_the_bit():
    rng = random.Random(7)
    for _ in range(20_000):
        values = [rng.random() * rng.choice([1.0, 100.0, 1e-3, 3e5]) for _ in range(rng.randint(0, 12))]
        assert _sum(values) == float(np.array(values, dtype=float).sum()), values
    assert _sum([]) == 0.0 and _sum([1, 2]) == 3.0


def test_max_is_numpys_max_nan_included():
    rng = random.Random(11)
    for _ in range(5_000):
        values = [rng.random() for _ in range(rng.randint(1, 6))]
        assert _max(values) == float(np.array(values, dtype=float).max())
    assert math.isnan(_max([0.2, float("nan"), 0.9])) and math.isnan(float(np.max([0.2, float("nan"), 0.9])))
