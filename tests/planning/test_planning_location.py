import itertools

import numpy as np
import pytest

from changzhu.planning.errors import PlanningInputError
from changzhu.planning.location import assignment_cost, max_covering, p_median, set_covering


def _instance(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    return rng.integers(1, 50, n).astype(float), np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))


@pytest.mark.parametrize("seed", range(6))
def test_p_median_matches_enumeration(seed: int) -> None:
    w, d = _instance(40, 9, seed)
    best = min(assignment_cost(w[:, None] * d, c) for c in itertools.combinations(range(9), 3))
    result = p_median(w, d, 3)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best)
    assert result.bound <= result.objective + 1e-6


@pytest.mark.parametrize("seed", range(4))
def test_max_covering_matches_enumeration(seed: int) -> None:
    w, d = _instance(40, 8, seed)
    cover = d <= 30
    best = max(w[cover[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(8), 2))
    result = max_covering(w, d, 2, 30)
    assert result.status == "optimal" and result.objective == pytest.approx(best)


def test_set_covering_matches_enumeration() -> None:
    _, d = _instance(30, 8, 3)
    cover = d <= 45
    fewest = next(
        k for k in range(1, 9) for c in itertools.combinations(range(8), k) if cover[:, list(c)].any(axis=1).all()
    )
    result = set_covering(d, 45)
    assert result.status == "optimal" and result.objective == fewest


def test_bad_inputs_are_refused() -> None:
    w, d = _instance(10, 4, 0)
    with pytest.raises(PlanningInputError, match="p = 5"):
        p_median(w, d, 5)
    with pytest.raises(PlanningInputError, match="cannot be covered"):
        set_covering(d, 0.001)
    with pytest.raises(PlanningInputError, match="shape"):
        p_median(w[:5], d, 2)


@pytest.mark.parametrize("seed", range(3))
def test_max_covering_with_duplicate_and_dominated_sites(seed: int) -> None:
    w, d = _instance(40, 6, seed)
    d = np.hstack([d, d[:, :2], d[:, :1] + 5.0])  # two copies and one site dominated by site 0
    cover = d <= 30
    best = max(w[cover[:, list(c)].any(axis=1)].sum() for c in itertools.combinations(range(9), 3))
    result = max_covering(w, d, 3, 30)
    assert result.status == "optimal" and result.objective == pytest.approx(best)
    assert len(set(result.sites)) == 3


def test_max_covering_gap_target_is_not_called_optimal() -> None:
    w, d = _instance(300, 60, 7)
    result = max_covering(w, d, 6, 12, mip_rel_gap=0.2)
    assert result.status in ("optimal", "gap_limit")
    assert result.bound >= result.objective - 1e-6 and result.gap <= 0.2
    if result.status == "gap_limit":
        assert result.gap > 0
