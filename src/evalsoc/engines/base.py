"""The engine interface: what the sections ask of the data, whatever holds them.

An engine answers questions about named, already validated sources (quarantined rows removed).
Filters are parsed `where` expressions (framework/expressions.py, engine-neutral trees); an
engine evaluates them with evalsoc's missing-value semantics documented there.

Indicators are computed from **grouped sufficient statistics**: for each `by` group (one group
without `by`), the arrays of sums that the indicator kind's `finish` turns into values and
intervals (sections/indicators/compute.py). Per kind, one entry per group:

- mean, sum: ``n`` (non-missing values), ``sum``, ``sumsq``, and ``scale`` (a float: 1, or the
  power of two the values were divided by to keep sums of squares finite);
- proportion: ``n`` (rows where the condition can be decided), ``count`` (rows where it holds);
- count: ``n`` (rows), ``count`` (rows counted);
- rate: ``n``, ``sy``, ``sx``, ``syy``, ``sxx``, ``sxy`` (sums and cross-products of the
  numerator y and the denominator x over rows where both are present);
- share: ``n`` and one count per category;
- median: ``n``, ``median``, ``lo``, ``hi`` (exact order statistics, never an approximate
  quantile); gini/theil/atkinson and gap likewise need the rows of each group.

Additive kinds' overall statistics are the sum of their groups'. An engine that cannot reduce a
kind in place may collect the kind's columns and reuse the pandas reductions.

Optional: an engine may offer `plan_indicators(planned)`, which the pipeline calls once, before
the first indicator, with the run's indicators whose statistics it will ask the engine for
(`PlannedIndicator`, chosen in one place: sections/indicators/in_engine.py
`planned_indicators`). The DuckDB engine answers a source's in-engine indicators from one scan
per `by`, made when the source's first indicator is asked (engines/duckdb_onepass.py); the
Spark engine answers those sharing a source, `where` and `by` in one aggregation. An engine may
also offer `audit_rows(source, where, spec, key)` (the rows behind an indicator's figures
counted in the engine: sections/indicators/in_engine.py).

Optional: `did_cells(source, where, outcome, treatment, post, cluster)` answers a 2×2
difference-in-differences without collecting its rows (sections/effects/did_in_engine.py):
the rows `where` selects, less those missing the outcome, the cluster or a column of the
parsed `treatment`/`post` conditions (as `prepare_frame` drops them), grouped by (treated,
post) and by cluster, as `CellSums`; it raises duckdb_sql.NotCompiled when the engine cannot
read the conditions or columns as pandas would (the effect then collects its columns).

Optional: `ols_moments(request)` and `ols_second_pass(request, terms, kind)` answer a DiD (or
a difference) with covariates and few fixed effects without collecting its rows
(sections/effects/ols_in_engine.py): the first groups the complete rows (`MomentRequest`) by
(treated, post, cluster and the key columns: booleans, categories, fixed effects) and returns
per group the count, the sums and the co-moments of the numeric columns and the outcome
(`MomentGroups`); the second scans the same rows again with each key group's fitted value and
leverage terms (stats/ols_moments.py `SecondPass`) and returns per key group the sums of
w = e², e²/(1 − h) or e²/(1 − h)² times the centred numeric columns and their products.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from evalsoc.framework.expressions import Expression

Mask = npt.NDArray[np.bool_]
Codes = npt.NDArray[np.int64]
Statistics = dict[str, Any]  # name → one value per group (arrays), or a plain float (scale)


@dataclass(frozen=True)
class PlannedIndicator:
    """An indicator whose statistics the pipeline will ask the engine for (`plan_indicators`).

    `where` is its parsed selection, already checked against the source's columns; `key` the
    source's declared unique key (it names a row more cheaply than its position);
    `in_engine`: answered wholly in the engine, the audit's populations included
    (sections/indicators/in_engine.py), rather than by the row path, which still asks the
    engine for its grouped statistics."""

    source: str
    spec: Any
    where: Expression | None
    key: tuple[str, ...] = ()
    in_engine: bool = True


@dataclass(frozen=True)
class CellSums:
    """A DiD's rows grouped by (treated, post[, cluster]) in the engine (`did_cells`).

    `rows`: rows the `where` selected; `kept`: those without a missing used value. Per group
    (arrays, sorted by treated, post, cluster): `n`, `total` (Σy), `ss` (Σ(y − ȳ_group)²);
    `cluster`: the group's cluster as codes 0..G−1 of the sorted labels (None unclustered).
    `low`/`high`: the outcome's min and max (None without rows); `binary`: every y is 0 or 1.
    """

    rows: int
    kept: int
    treated: Codes
    post: Codes
    n: Codes
    total: npt.NDArray[np.float64]
    ss: npt.NDArray[np.float64]
    cluster: Codes | None
    low: float | None
    high: float | None
    binary: bool


@dataclass(frozen=True)
class MomentRequest:
    """The rows of an OLS asked of the engine (`ols_moments`): `where`'s rows less those
    missing the outcome, the cluster, a `numeric` or `keys` column or a column of the
    `treatment`/`post` conditions (as `prepare_frame` drops them)."""

    source: str
    where: Expression | None
    outcome: str
    treatment: Expression
    post: Expression | None  # None: no period (a difference), every row's p is 0
    cluster: str | None
    numeric: tuple[str, ...]  # vary within groups: their sums and co-moments are returned
    keys: tuple[str, ...]  # grouped by: booleans (as 0/1), texts and fixed effects' labels
    max_groups: int = 100_000  # more groups than this: TooManyGroups, nothing fetched


class TooManyGroups(Exception):
    """`ols_moments` found more groups than the request allows (their number)."""


@dataclass(frozen=True)
class MomentGroups:
    """An OLS's complete rows grouped by (treated, post, cluster, keys) in the engine.

    `rows`: rows `where` selected; `kept`: the complete ones. `table`: one row per group (R),
    columns d, p, g (cluster codes 0..G−1 of the sorted labels; 0 unclustered), k0, k1...
    (the keys' values: 0/1 for a boolean, the text for the others), sorted. Per group: `n`,
    `sums` (R, q + 1: each numeric column, then the outcome), `comoment` (R, q + 1, q + 1:
    about the group's means), `zero_one` (R, q: every value of the numeric column is 0 or 1).
    `low`/`high`: the outcome's min and max; `binary`: every outcome is 0 or 1."""

    rows: int
    kept: int
    table: Any
    n: npt.NDArray[np.float64]
    sums: npt.NDArray[np.float64]
    comoment: npt.NDArray[np.float64]
    zero_one: npt.NDArray[np.bool_]
    low: float | None
    high: float | None
    binary: bool


@runtime_checkable
class Engine(Protocol):
    """What the sections ask of the data. Frames returned are pandas DataFrames."""

    name: str

    def sources(self) -> list[str]:
        """The names of the sources this engine holds."""
        ...

    def length(self, source: str) -> int:
        """The number of (validated) rows of `source`."""
        ...

    def columns(self, source: str) -> list[str]:
        """The columns of `source`, in order."""
        ...

    def dtypes(self, source: str) -> dict[str, str]:
        """Each column's type, by name (pandas dtype names: float64, boolean, category...)."""
        ...

    def mask(self, source: str, expression: Expression) -> Mask:
        """One boolean per row of `source`: the rows `expression` selects."""
        ...

    def rows(self, source: str, columns: Sequence[str] | None, where: Expression | None) -> Any:
        """The rows `where` selects (all without it), restricted to `columns` (all if None),
        as a pandas DataFrame: what medians, bootstrap and effects need in memory."""
        ...

    def groups(self, source: str, where: Expression | None, by: Sequence[str]) -> tuple[Codes, Any]:
        """The group code of each selected row and the table of groups (a DataFrame with one
        row per group, columns `by`, sorted, missing values last)."""
        ...

    def grouped_statistics(
        self, source: str, where: Expression | None, spec: Any, columns: Sequence[str]
    ) -> Statistics:
        """An indicator's sufficient statistics per group of `spec.by` (one group without it),
        reading `columns` of the selected rows; see the module docstring for each kind's."""
        ...
