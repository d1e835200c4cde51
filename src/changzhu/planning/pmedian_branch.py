"""Lagrangian branch-and-bound for p-median over the few sites the root Lagrangian keeps.

Each node fixes some sites open and some closed. Its bound is the Lagrangian relaxation of the assignment
constraints (Σ_j x_ij = 1 relaxed with multipliers λ_i):

    L(λ) = Σ_i λ_i + min { Σ_{j ∈ T} ρ_j(λ) : |T| = p, open ⊆ T, T ∩ closed = ∅ },   ρ_j(λ) = Σ_i min(0, c_ij - λ_i)

maximised by subgradient steps (Polyak step towards the incumbent, scale 2 halved after 10 steps without a better
bound) warm-started from the parent's λ. ρ is summed only over the pairs with c_ij below a cap ≥ λ_i (the other
pairs add 0), so a step costs the number of such pairs, not points × sites. Every relaxed choice T is also a
feasible set of sites, so it may improve the incumbent. Nodes are taken best-first (smallest parent bound, the
newest first among equal ones). A node is pruned when L(λ) reaches the incumbent; sites whose forced opening or
closing would push L(λ) past the incumbent are fixed (reduced-cost fixing); otherwise it branches on the chosen
free site with the largest ρ_j (open it / close it). The proof is exact: every node closed has a valid lower
bound at least the incumbent, and the search stops unproven at the deadline with the smallest bound of the open
nodes.
"""

from __future__ import annotations

import heapq
import itertools
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


class _Pairs:
    """The pairs (i, j) with c_ij below a cap_i ≥ λ_i, column by column: the only ones in ρ_j(λ).

    A pair with c_ij ≥ λ_i adds min(0, c_ij - λ_i) = 0 to ρ_j, so ρ over these pairs is exact while λ ≤ cap; a
    λ_i past its cap rebuilds the list with a higher cap (SLACK above λ).
    """

    SLACK = 0.1

    def __init__(self, cost: FloatArray) -> None:
        self.cost = cost
        self.cap = np.full(cost.shape[0], -np.inf)
        self.rows = self.starts = self.ends = np.zeros(0, dtype=np.int64)
        self.values = np.zeros(0)

    def _rebuild(self, lam: FloatArray) -> None:
        self.cap = np.maximum(self.cap, lam + self.SLACK * np.abs(lam))
        cols, self.rows = np.nonzero((self.cost < self.cap[:, None]).T)
        self.values = self.cost[self.rows, cols]
        sites = np.arange(self.cost.shape[1])
        self.starts, self.ends = np.searchsorted(cols, sites), np.searchsorted(cols, sites, side="right")

    def rho(self, lam: FloatArray) -> tuple[FloatArray, FloatArray]:
        """ρ_j(λ) for every site, and min(0, c_ij - λ_i) for every listed pair (for the subgradient)."""
        if np.any(lam > self.cap):
            self._rebuild(lam)
        reduced = np.minimum(self.values - lam[self.rows], 0.0)
        rho = np.zeros(self.cost.shape[1])
        filled = self.ends > self.starts
        if reduced.size:
            rho[filled] = np.add.reduceat(reduced, self.starts[filled])
        return rho, reduced

    def served(self, reduced: FloatArray, chosen: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """For every point i, how many chosen sites j have c_ij < λ_i."""
        pairs = np.concatenate([np.arange(self.starts[j], self.ends[j]) for j in chosen])
        rows = self.rows[pairs[reduced[pairs] < 0]]
        return np.bincount(rows, minlength=self.cost.shape[0])


class _Search:
    def __init__(self, cost: FloatArray, p: int, sites: list[int], upper: float, tolerance: float) -> None:
        self.cost, self.p, self.tolerance = cost, p, tolerance
        self.sites, self.upper = list(sites), upper
        self.pairs = _Pairs(cost)

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
        theta, stall = 2.0, 0
        for _ in range(iterations):
            rho, reduced = self.pairs.rho(lam)
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
            grad = 1.0 - self.pairs.served(reduced, chosen)
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
    order = itertools.count()  # tie-break among equal bounds: the node pushed last first (depth first)
    heap = [(-np.inf, 0, _Node(opened, np.zeros(m, dtype=bool), multipliers.astype(np.float64), -np.inf))]

    def push(node: _Node) -> None:
        heapq.heappush(heap, (node.parent_bound, -next(order), node))

    nodes = 0
    while heap and heap[0][0] < search.cutoff():
        if time.perf_counter() > deadline:
            return BranchResult(search.sites, search.upper, min(heap[0][0], search.upper), False, nodes)
        node = heapq.heappop(heap)[2]
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
            push(_Node(opened, closed, lam, lower))
            continue
        j = int(still_free[np.argmax(rho[still_free])])
        with_j, without_j = opened.copy(), closed.copy()
        with_j[j], without_j[j] = True, True
        push(_Node(opened, without_j, lam, lower))
        push(_Node(with_j, closed, lam, lower))
    return BranchResult(search.sites, search.upper, search.upper, True, nodes)
