"""Lagrangian branch-and-bound for p-median over the few sites the root Lagrangian keeps.

Each node fixes some sites open and some closed. Its bound is the Lagrangian relaxation of the assignment
constraints (Σ_j x_ij = 1 relaxed with multipliers λ_i):

    L(λ) = Σ_i λ_i + min { Σ_{j ∈ T} ρ_j(λ) : |T| = p, open ⊆ T, T ∩ closed = ∅ },   ρ_j(λ) = Σ_i min(0, c_ij - λ_i)

maximised by subgradient steps warm-started from the parent's λ. Every relaxed choice T is also a feasible set of
sites, so it may improve the incumbent. A node is pruned when L(λ) reaches the incumbent; sites whose forced
opening or closing would push L(λ) past the incumbent are fixed (reduced-cost fixing); otherwise it branches on
the chosen free site with the largest ρ_j (open it / close it). The proof is exact: every node closed has a
valid lower bound at least the incumbent, and the search stops unproven at the deadline with the smallest bound
of the open nodes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ROOT_ITERATIONS = 300
NODE_ITERATIONS = 60


@dataclass
class BranchResult:
    """Incumbent (sites as column indices), its cost, the proven lower bound and whether the search finished."""

    sites: list[int]
    upper: float
    lower: float
    proven: bool
    nodes: int


@dataclass
class _Node:
    opened: BoolArray
    closed: BoolArray
    multipliers: FloatArray
    parent_bound: float


def _relaxed_choice(rho: FloatArray, opened: BoolArray, closed: BoolArray, p: int) -> npt.NDArray[np.int64]:
    """The p sites of the relaxed problem: the forced-open ones plus the free ones with the smallest ρ."""
    need = p - int(opened.sum())
    free = np.flatnonzero(~opened & ~closed)
    picked = free[np.argpartition(rho[free], need - 1)[:need]] if need > 0 else free[:0]
    return np.concatenate([np.flatnonzero(opened), picked])


class _Search:
    def __init__(self, cost: FloatArray, p: int, sites: list[int], upper: float, tolerance: float) -> None:
        self.cost, self.p, self.tolerance = cost, p, tolerance
        self.sites, self.upper = list(sites), upper

    def cutoff(self) -> float:
        return self.upper - self.tolerance * abs(self.upper)

    def offer(self, chosen: npt.NDArray[np.int64]) -> None:
        value = float(self.cost[:, chosen].min(axis=1).sum())
        if value < self.upper:
            self.upper, self.sites = value, [int(j) for j in chosen]

    def bound(self, node: _Node, iterations: int) -> tuple[float, FloatArray, FloatArray, npt.NDArray[np.int64]]:
        """Subgradient ascent on L(λ) at this node: best bound, its λ, its ρ and its relaxed choice."""
        lam = node.multipliers.copy()
        best = (-np.inf, lam, np.zeros(self.cost.shape[1]), np.zeros(0, dtype=np.int64))
        theta, stall = 1.0, 0
        clipped = np.empty_like(self.cost)  # min(0, c_ij - λ_i), one buffer for all iterations
        for _ in range(iterations):
            np.subtract(self.cost, lam[:, None], out=clipped)
            np.minimum(clipped, 0.0, out=clipped)
            rho = clipped.sum(axis=0)
            chosen = _relaxed_choice(rho, node.opened, node.closed, self.p)
            lower = float(lam.sum() + rho[chosen].sum())
            self.offer(chosen)
            if lower > best[0]:
                best, stall = (lower, lam.copy(), rho, chosen), 0
            else:
                stall += 1
                if stall >= 10:
                    theta, stall = theta / 2.0, 0
            if lower >= self.cutoff() or theta < 1e-3:
                break
            grad = 1.0 - (clipped[:, chosen] < 0).sum(axis=1)
            norm = float(grad @ grad)
            if norm == 0.0:
                break
            lam = lam + theta * (self.upper - lower) / norm * grad
        return best


def lagrangian_branch_and_bound(
    cost: FloatArray,
    p: int,
    multipliers: FloatArray,
    sites: list[int],
    upper: float,
    deadline: float,
    tolerance: float,
    fixed_open: BoolArray | None = None,
) -> BranchResult:
    """Prove (or improve) the incumbent `sites` of p-median on `cost` (points × sites), warm-started from λ."""
    m = cost.shape[1]
    search = _Search(cost, p, sites, upper, tolerance)
    opened = np.zeros(m, dtype=bool) if fixed_open is None else fixed_open.copy()
    stack = [_Node(opened, np.zeros(m, dtype=bool), multipliers.astype(np.float64), -np.inf)]
    nodes = 0
    while stack:
        if time.perf_counter() > deadline:
            lower = min(node.parent_bound for node in stack)
            return BranchResult(search.sites, search.upper, min(lower, search.upper), False, nodes)
        node = stack.pop()
        if node.parent_bound >= search.cutoff():
            continue
        nodes += 1
        free = ~node.opened & ~node.closed
        need = p - int(node.opened.sum())
        if need > int(free.sum()):
            continue  # fewer sites left than are still needed: no solution here
        if need == 0 or need == int(free.sum()):
            search.offer(np.flatnonzero(node.opened | (free if need else np.zeros(m, dtype=bool))))
            continue
        lower, lam, rho, chosen = search.bound(node, ROOT_ITERATIONS if nodes == 1 else NODE_ITERATIONS)
        if lower >= search.cutoff():
            continue
        in_choice = np.zeros(m, dtype=bool)
        in_choice[chosen] = True
        free_chosen = np.flatnonzero(in_choice & free)
        free_left = np.flatnonzero(~in_choice & free)
        last = rho[free_chosen].max()
        following = rho[free_left].min() if free_left.size else np.inf
        closed = node.closed | (~in_choice & free & (lower + rho - last >= search.cutoff()))
        opened = node.opened | (in_choice & free & (lower - rho + following >= search.cutoff()))
        still_free = np.flatnonzero(in_choice & ~opened & ~closed)
        if still_free.size == 0:
            stack.append(_Node(opened, closed, lam, lower))
            continue
        j = int(still_free[np.argmax(rho[still_free])])
        with_j, without_j = opened.copy(), closed.copy()
        with_j[j], without_j[j] = True, True
        stack.append(_Node(opened, without_j, lam, lower))
        stack.append(_Node(with_j, closed, lam, lower))
    return BranchResult(search.sites, search.upper, search.upper, True, nodes)
