import numpy as np
import pytest

from changzhu.planning.accessibility import e2sfca, two_step_fca


def test_two_step_by_hand() -> None:
    demand = np.array([100.0, 300.0])
    supply = np.array([10.0, 20.0])
    dist = np.array([[1.0, 5.0], [5.0, 1.0]])
    # catchment 2: each site reaches one point
    assert two_step_fca(demand, supply, dist, 2.0) == pytest.approx([0.1, 20 / 300])
    # catchment 10: both sites reach both points, ratios 10/400 and 20/400
    assert two_step_fca(demand, supply, dist, 10.0) == pytest.approx([30 / 400, 30 / 400])


def test_supply_is_conserved_when_every_site_is_reached() -> None:
    rng = np.random.default_rng(0)
    demand, supply = rng.uniform(1, 100, 50), rng.uniform(1, 10, 7)
    dist = rng.uniform(0, 10, (50, 7))
    scores = two_step_fca(demand, supply, dist, 20.0)
    assert demand @ scores == pytest.approx(supply.sum())
    enhanced = e2sfca(demand, supply, dist, 20.0)
    assert enhanced.shape == (50,) and np.all(enhanced >= 0)
