"""What rule nodes need from the evaluators that run them (so nodes define meaning without importing evaluators).

The interval engine (changzhu.rules.engine.IntervalEvaluator), the kernel writer (changzhu.rules.codegen.Writer) and the
resolved policy (changzhu.rules.catalog.ResolvedPolicy) satisfy these protocols; conditions and indicators are
written against them only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from changzhu.domain.services import Service
from changzhu.parameters.model import DatedValue, Parameter

if TYPE_CHECKING:
    from changzhu.rules.arrays import Interval
    from changzhu.rules.variables import VariableSpec


@dataclass(frozen=True)
class Cell:
    """A kernel's view of a condition on the date: `t` holds for certain, `u` unknown ("False" when it cannot be)."""

    t: str
    u: str = "False"


@dataclass
class LeafResult:
    """What one condition saw for some rows: its interval, where its input is known, and the value and threshold
    (for explanations)."""

    start: np.ndarray
    end: np.ndarray
    known: np.ndarray | None
    value: np.ndarray | None
    threshold: Any
    parameter: Parameter | None = None
    dated: DatedValue | None = None
    decided: np.ndarray | None = None  # where the value on the date is certain although unknown (a service)
    floor: np.ndarray | None = None  # a known lower bound where the value is unknown (points: the assessed items)


class PolicyView(Protocol):
    """The rules in force for one chain of jurisdictions."""

    @property
    def parameters(self) -> Mapping[str, Parameter]: ...

    @property
    def services(self) -> Mapping[Service, Any]: ...

    @property
    def schemes(self) -> Mapping[str, Any]: ...

    def value(self, key: str, on: date) -> tuple[Parameter, DatedValue]: ...


class FrameView(Protocol):
    """The person table as arrays: clocks (month counts), static variables, parents, the evaluation date."""

    @property
    def n(self) -> int: ...

    @property
    def on(self) -> int: ...

    @property
    def on_date(self) -> date: ...

    @property
    def clocks(self) -> Mapping[str, Any]: ...

    @property
    def statics(self) -> Mapping[str, np.ndarray]: ...

    @property
    def variables(self) -> Mapping[str, VariableSpec]: ...

    @property
    def parent_idx(self) -> np.ndarray: ...


class EngineView(Protocol):
    """The interval engine, as conditions and indicators use it."""

    @property
    def frame(self) -> FrameView: ...

    @property
    def trace(self) -> bool: ...

    @property
    def permit_unknown(self) -> np.ndarray | None: ...

    def service_interval(self, service: Service, rows: np.ndarray) -> Interval: ...

    def clock_known(self, name: str, rows: np.ndarray) -> np.ndarray | None: ...

    def record(self, path: str, leaf: Any, rows: np.ndarray, result: LeafResult) -> None: ...

    def once(
        self, key: tuple[Any, ...], rows: np.ndarray, anchor: object, compute: Callable[[], LeafResult]
    ) -> LeafResult: ...

    def points_condition(self, policy: Any, scheme: Any, rows: np.ndarray, of: str) -> LeafResult: ...


class WriterView(Protocol):
    """The kernel writer, as conditions and indicators use it."""

    @property
    def scale_table_max(self) -> int: ...

    @property
    def policy(self) -> PolicyView: ...

    @property
    def on(self) -> date: ...

    @property
    def on_days(self) -> int: ...

    def var(self, expr: str) -> str: ...

    def number(self, value: Any) -> str: ...

    def integer(self, value: int) -> str: ...

    def mask(self, value: int) -> str: ...

    def truth(self, value: bool) -> str: ...

    def literal(self, value: Any) -> str: ...

    def floor_div(self, value: str, size: float) -> str: ...

    def table(self, values: list[float] | list[bool], dtype: str) -> str: ...

    def lookup(self, table: str, index: str, last: int) -> str: ...

    def arg(self, name: str, row: str) -> str: ...

    def value(self, key: str) -> Any: ...

    def service_may_be_unknown(self, service: Service) -> bool: ...

    def within_cutoff(self, months: int) -> str: ...

    def clock(self, name: str, row: str) -> tuple[str, str]: ...

    def points_cell(self, scheme: Any, row: str) -> Cell: ...

    def note_range(self, indicator: object, low: str, high: str) -> None: ...
