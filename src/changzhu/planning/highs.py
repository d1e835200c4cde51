"""A thin, honest wrapper around HiGHS for the location models: status, objective, bound and gap as HiGHS reports."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
PROOF_GAP = 1e-9  # relative gap under which a HiGHS "optimal" is a proof; a looser mip_rel_gap gives 'gap_limit'


@dataclass(frozen=True)
class MipResult:
    """What HiGHS returned: 'optimal' only when proved to PROOF_GAP; 'gap_limit' when stopped at a looser gap."""

    status: str
    objective: float
    bound: float
    x: FloatArray
    seconds: float


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance without its copyright banner, which it writes to the process's stdout when created."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def _status(model_status: highspy.HighsModelStatus) -> str:
    names = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
        highspy.HighsModelStatus.kInterrupt: "interrupted",
    }
    return names.get(model_status, str(model_status).rsplit(".", 1)[-1])


def solve_mip(
    cost: FloatArray,
    matrix: sp.csc_matrix,
    row_lower: FloatArray,
    row_upper: FloatArray,
    col_lower: FloatArray,
    col_upper: FloatArray,
    integer: npt.NDArray[np.bool_],
    *,
    maximize: bool = False,
    time_limit: float = 120.0,
    mip_rel_gap: float = PROOF_GAP,
    start: FloatArray | None = None,
    options: dict[str, bool | int | float | str] | None = None,
) -> MipResult:
    """Solve min/max cost·x subject to row_lower ≤ A x ≤ row_upper and column bounds, some columns integer.

    `start` is a feasible point handed to HiGHS as its first incumbent (warm start); `options` are further HiGHS
    options by name.
    """
    h = _quiet_highs()
    for name, value in (options or {}).items():
        h.setOptionValue(name, value)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(mip_rel_gap))
    lp = highspy.HighsLp()
    lp.num_col_ = int(matrix.shape[1])
    lp.num_row_ = int(matrix.shape[0])
    lp.col_cost_ = np.ascontiguousarray(cost, dtype=np.float64)
    lp.col_lower_ = np.ascontiguousarray(col_lower, dtype=np.float64)
    lp.col_upper_ = np.ascontiguousarray(col_upper, dtype=np.float64)
    lp.row_lower_ = np.ascontiguousarray(row_lower, dtype=np.float64)
    lp.row_upper_ = np.ascontiguousarray(row_upper, dtype=np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.ascontiguousarray(matrix.indptr, dtype=np.int32)
    lp.a_matrix_.index_ = np.ascontiguousarray(matrix.indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.ascontiguousarray(matrix.data, dtype=np.float64)
    lp.integrality_ = [highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous for flag in integer]
    if maximize:
        lp.sense_ = highspy.ObjSense.kMaximize
    h.passModel(lp)
    if start is not None:
        warm = highspy.HighsSolution()
        warm.col_value = np.ascontiguousarray(start, dtype=np.float64).tolist()
        warm.value_valid = True
        h.setSolution(warm)
    began = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - began
    status = _status(h.getModelStatus())
    info = h.getInfo()
    if status in ("optimal", "time_limit") and info.primal_solution_status != 0:
        x = np.asarray(h.getSolution().col_value, dtype=np.float64)
        objective = float(info.objective_function_value)
    else:
        x = np.zeros(lp.num_col_)
        objective = float("nan")
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else float("nan")
    if not integer.any():
        bound = objective  # a pure LP solved to optimality is its own bound
    elif status == "optimal" and mip_rel_gap > PROOF_GAP and abs(bound - objective) > PROOF_GAP * abs(objective):
        status = "gap_limit"  # HiGHS says "optimal" once within mip_rel_gap: that is not a proof
    return MipResult(status, objective, bound, x, seconds)
