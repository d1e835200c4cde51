"""The synthetic population's income distribution: a Dagum distribution fitted to the NBS quintile means.

The NBS publishes per-capita disposable income by income quintile (按收入五等份分组) for urban and rural
residents, and the mean. As in grouped-data poverty work (a Lorenz curve from group shares, the level from the
mean), the shape (a, q) is fitted by least squares to the five quintile shares of income (each quintile's mean
over their sum) and the scale b is set so the distribution's mean is the published mean. The Dagum distribution,
F(x) = (1 + (x/b)^-a)^-q, is a standard size distribution of income (Kleiber & Kotz 2003) with a power-law lower
tail, which a log-normal fitted to the same figures lacks. Quintile means have closed forms (incomplete beta).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from changzhu.simulation.ipf import FloatArray

QUINTILE_EDGES = np.linspace(0.0, 1.0, 6)


@dataclass(frozen=True)
class Dagum:
    """A Dagum distribution of income: shape a, scale b (yuan), shape q."""

    a: float
    b: float
    q: float

    def _mean_factor(self) -> float:
        """The mean over the scale: q B(q + 1/a, 1 - 1/a)."""
        from scipy.special import beta  # SciPy when a distribution is used, not by every importer of the API

        return float(self.q * beta(self.q + 1 / self.a, 1 - 1 / self.a))

    def mean(self) -> float:
        """The mean (finite for a > 1)."""
        return self.b * self._mean_factor()

    def cdf(self, x: FloatArray) -> FloatArray:
        """The share of people with income below x."""
        return np.asarray((1 + (np.asarray(x, dtype=np.float64) / self.b) ** -self.a) ** -self.q)

    def quantile(self, p: FloatArray) -> FloatArray:
        """The income at population share p (0 < p < 1)."""
        return np.asarray(self.b * (np.asarray(p, dtype=np.float64) ** (-1 / self.q) - 1) ** (-1 / self.a))

    def quintile_means(self) -> FloatArray:
        """The mean income of each fifth of the population, poorest first (closed form)."""
        from scipy.special import betainc

        t = QUINTILE_EDGES ** (1 / self.q)
        cum = betainc(self.q + 1 / self.a, 1 - 1 / self.a, t)
        return np.asarray(self.mean() * np.diff(cum) * 5)


def _shares(means: FloatArray) -> FloatArray:
    """The income share of each quintile."""
    return np.asarray(means / means.sum())


def fit_dagum(quintile_means: tuple[float, ...], mean: float) -> Dagum:
    """The Dagum distribution whose quintile shares fit the published ones (least squares on log shares) and
    whose mean is `mean`."""
    from scipy.optimize import minimize

    target = np.log(_shares(np.asarray(quintile_means, dtype=np.float64)))

    def loss(x: FloatArray) -> float:
        a, q = np.exp(x)
        if a <= 1.0:
            return 1e6
        return float(np.sum((np.log(_shares(Dagum(a, 1.0, q).quintile_means())) - target) ** 2))

    best = min(
        (
            minimize(loss, np.log([a0, q0]), method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14})
            for a0 in (2.0, 4.0)
            for q0 in (0.5, 1.5)
        ),
        key=lambda r: float(r.fun),
    )
    a, q = (float(v) for v in np.exp(best.x))
    return Dagum(a, mean / Dagum(a, 1.0, q).mean(), q)
