"""The DuckDB engine: the sources registered in an in-process DuckDB database, the questions
answered in SQL.

A source read out of core by the DuckDB intake (data/duckdb_intake.py) is already a table of
this connection (engines/duckdb_table.py: only the columns and rows asked for are collected);
any other validated pandas DataFrame is registered as a DuckDB view (scanned in place, no copy);
`where` expressions are compiled to SQL with evalsoc's missing-value semantics
(engines/duckdb_sql.py), groups and per-kind sufficient statistics are SQL GROUP BY queries
(engines/duckdb_stats.py). Results are the pandas engine's: groups sorted with missing values
last, medians and their intervals from exact order statistics (row_number over the sorted
values, never an approximate quantile), sums by DuckDB's compensated `fsum`.

Row order: a projection or filter of a registered frame keeps the frame's order (DuckDB's
`preserve_insertion_order`, on by default and never turned off here), so masks and group codes
are aligned with the pandas rows. Sections that need rows in memory (effects, bootstrap,
capabilities, multiple-choice indicators) get the frame's own rows selected by the SQL mask.

What stays on pandas, per question and said in docs/scale.md: a `where` reading an untyped
(object) column or a comparison the pandas evaluator refuses (its error message is the one
shown), groups by such columns, and the kinds that need each group's rows (gini, theil,
atkinson, gap), which collect their columns and reuse the pandas reductions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.engines.base import Codes, Mask, PlannedIndicator, Statistics
from evalsoc.engines.duckdb_sql import (
    OTHER,
    NotCompiled,
    column_kind,
    compile_where,
)
from evalsoc.framework.expressions import Expression


def _is_table(frame: Any) -> bool:
    from evalsoc.engines.duckdb_table import DuckDBTable

    return isinstance(frame, DuckDBTable)


class DuckDBEngine:
    """Sources held by an in-process DuckDB connection over the validated frames."""

    name = "duckdb"

    def __init__(
        self,
        frames: dict[str, Any],
        memory_limit: str | None = None,
        threads: int | None = None,
        temp_directory: str | None = None,
        spark_master: str | None = None,  # a Spark option: does not apply here
    ):
        from evalsoc.engines.duckdb_table import DuckDBTable, connect

        # Sources the DuckDB intake read are tables of its connection (made with these settings).
        tables = [f for f in frames.values() if isinstance(f, DuckDBTable)]
        self.connection = (
            tables[0].connection if tables else connect(memory_limit, threads, temp_directory)
        )
        self.connection.execute("SET enable_progress_bar = false")  # no bars on the terminal
        self.frames = frames  # shared with the caller: sources added later are seen
        self._views: dict[str, str] = {}
        self._registered: dict[str, Any] = {}
        self._complete: dict[str, tuple[Any, dict[str, bool]]] = {}
        self._masks: dict[tuple[str, str], Mask] = {}
        self._filtered: dict[tuple[str, str], Any] = {}
        self._groupings: dict[tuple[str, str | None, tuple[str, ...]], tuple[Codes, Any]] = {}
        self._planned: dict[str, list[PlannedIndicator]] = {}  # source → its in-engine ones
        self._prepared: dict[str, dict[str, Any]] = {}  # source → indicator id → answers
        self._kinds: dict[str, tuple[Any, dict[str, str]]] = {}

    # --- what the sources are -------------------------------------------------------------

    def sources(self) -> list[str]:
        return list(self.frames)

    def view(self, source: str) -> str:
        """The name of `source`'s view (source_0, source_1...: no user text), registered on
        first use and again if the caller replaced the frame."""
        frame = self.frames[source]
        if _is_table(frame):  # read out of core by the DuckDB intake: already a table
            return str(frame.table)
        if self._registered.get(source) is not frame:
            name = self._views.get(source) or f"source_{len(self._views)}"
            self.connection.register(name, frame)
            self._views[source] = name
            self._registered[source] = frame
        return self._views[source]

    def length(self, source: str) -> int:
        return len(self.frames[source])

    def columns(self, source: str) -> list[str]:
        return [str(c) for c in self.frames[source].columns]

    def dtypes(self, source: str) -> dict[str, str]:
        return {str(c): str(t) for c, t in self.frames[source].dtypes.items()}

    def _pandas(self, source: str, columns: Sequence[str] | None = None) -> Any:
        """The source's rows in memory (only `columns` of a DuckDB table)."""
        frame = self.frames[source]
        return frame.to_pandas(columns) if _is_table(frame) else frame

    def complete(self, source: str, columns: Sequence[str]) -> set[str]:
        """The `columns` of `source` without any missing value (cached per frame)."""
        frame = self.frames[source]
        found = self._complete.setdefault(source, (frame, {}))
        if found[0] is not frame:
            found = self._complete[source] = (frame, {})
        unknown = [c for c in dict.fromkeys(columns) if c not in found[1]]
        if unknown and _is_table(frame):  # one scan for all of them
            found[1].update(frame.complete_columns(unknown))
        for column in unknown if not _is_table(frame) else []:
            found[1][column] = not bool(frame[column].isna().any())
        return {c for c in columns if found[1][c]}

    def kinds(self, source: str) -> dict[str, str]:
        """Each column's kind for SQL (cached per frame: asked by every indicator's queries)."""
        frame = self.frames[source]
        found = self._kinds.get(source)
        if found is None or found[0] is not frame:
            found = self._kinds[source] = (
                frame,
                {str(c): column_kind(t) for c, t in frame.dtypes.items()},
            )
        return dict(found[1])

    # --- rows -----------------------------------------------------------------------------

    def condition(
        self, source: str, where: Expression | None, prefix: str = "p"
    ) -> tuple[str, dict[str, Any]]:
        """(SQL condition, parameters) of `where` on `source`; NotCompiled when pandas must."""
        if where is None:
            return "TRUE", {}
        compiled = compile_where(where.tree, self.kinds(source), prefix)
        return compiled.sql, compiled.params

    def mask(self, source: str, expression: Expression) -> Mask:
        key = (source, expression.text)
        if key not in self._masks:
            expression.check_columns(self.columns(source))
            try:
                sql, params = self.condition(source, expression)
            except NotCompiled:
                frame = self._pandas(source, list(dict.fromkeys(expression.columns)))
                mask = expression.evaluate(frame).to_numpy(dtype=bool)
            else:
                query = f"SELECT {sql} AS selected FROM {self.view(source)}"
                mask = self.connection.execute(query, params).fetchnumpy()["selected"]
                mask = np.asarray(mask, dtype=bool)
            if len(mask) != self.length(source):
                raise RuntimeError(f"DuckDB returned {len(mask)} rows for {source!r}")
            self._masks[key] = mask
        return self._masks[key]

    def rows(self, source: str, columns: Sequence[str] | None, where: Expression | None) -> Any:
        """The frame's own rows (same dtypes as the pandas engine's), selected by the SQL mask;
        from a DuckDB table, only `columns` of the selected rows are collected."""
        frame = self.frames[source]
        if _is_table(frame):
            return self._table_rows(source, frame, columns, where)
        if where is None:
            return frame if columns is None else frame[list(columns)]
        key = (source, where.text)
        if key not in self._filtered:
            self._filtered[key] = frame.loc[self.mask(source, where)]
        selected = self._filtered[key]
        return selected if columns is None else selected[list(columns)]

    def _table_rows(
        self, source: str, table: Any, columns: Sequence[str] | None, where: Expression | None
    ) -> Any:
        if where is None:
            return table.to_pandas(columns)
        where.check_columns(self.columns(source))
        try:
            sql, params = self.condition(source, where)
        except NotCompiled:
            frame = table.to_pandas(columns)
            return frame.loc[self.mask(source, where)]
        return table.to_pandas(columns, sql, params)

    # --- groups and statistics --------------------------------------------------------------

    def groups(self, source: str, where: Expression | None, by: Sequence[str]) -> tuple[Codes, Any]:
        from evalsoc.engines import duckdb_stats

        key = (source, where.text if where is not None else None, tuple(by))
        if key not in self._groupings:
            if by and self._sql_ready(source, where, by):
                self._groupings[key] = duckdb_stats.group_codes(self, source, where, list(by))
            else:
                from evalsoc.sections.indicators.compute import group_codes

                self._groupings[key] = group_codes(self.rows(source, by, where), list(by))
        return self._groupings[key]

    def grouped_statistics(
        self, source: str, where: Expression | None, spec: Any, columns: Sequence[str]
    ) -> Statistics:
        from evalsoc.engines import duckdb_stats

        if self._sql_ready(source, where, spec.by):
            stats = duckdb_stats.statistics(self, source, where, spec)
            if stats is not None:
                return stats
        from evalsoc.sections.indicators.compute import QUANTITATIVE

        frame = self.rows(source, columns, where)
        if spec.by:
            codes, groups = self.groups(source, where, spec.by)
            ngroups = len(groups)
        else:
            codes, ngroups = np.zeros(len(frame), dtype=np.int64), 1
        pandas_stats: Statistics = QUANTITATIVE[spec.kind].stats(spec, frame, codes, ngroups)
        return pandas_stats

    def audit_rows(
        self, source: str, where: Expression | None, spec: Any, key: Sequence[str] = ()
    ) -> Any:
        """The rows behind an indicator's figures described in SQL, sized and signed in DuckDB
        (engines/duckdb_audit.py), or None when the audit must use the pandas masks. `key`: the
        source's unique key columns, if it has some (they name a row more cheaply than its
        position)."""
        from evalsoc.engines import duckdb_audit

        if not self._sql_ready(source, where, spec.by):
            return None
        if _is_table(self.frames[source]):  # the file's row position: unique, never missing
            from evalsoc.engines.duckdb_table import ROW

            key = [ROW]
        return duckdb_audit.indicator_rows(self, source, where, spec, list(key))

    def plan_indicators(self, planned: Sequence[PlannedIndicator]) -> None:
        """The run's indicators (engines/base.py): each source's in-engine ones are answered
        together when the first of them is asked (`prepared`), from one scan per `by`."""
        self._planned = {}
        self._prepared = {}
        for item in planned:
            if item.in_engine:
                self._planned.setdefault(item.source, []).append(item)

    def prepare_indicators(
        self, source: str, items: Sequence[tuple[Any, Expression | None]], key: Sequence[str] = ()
    ) -> None:
        """Answers the indicators of `source` (spec, parsed `where`) sharing a `by` from one
        scan (engines/duckdb_onepass.py); kept until `prepared` hands each out once."""
        from evalsoc.engines import duckdb_onepass

        if _is_table(self.frames[source]):
            from evalsoc.engines.duckdb_table import ROW

            key = [ROW]
        ready = [(spec, where) for spec, where in items if self._sql_ready(source, where, spec.by)]
        self._prepared[source] = duckdb_onepass.prepare(self, source, ready, list(key))

    def prepared(self, source: str, spec: Any, where: Expression | None) -> Any:
        """The answers computed for `spec` with its source's planned indicators (the first
        call for a source computes them all; each is released when handed out), or None."""
        planned = self._planned.pop(source, None)
        if planned is not None and source not in self._prepared:
            items = [(item.spec, item.where) for item in planned]
            self.prepare_indicators(source, items, planned[0].key)
        answers = self._prepared.get(source, {})
        found = answers.get(spec.id)
        if found is None or found.rows.spec is not spec:
            return None
        if found.where != (where.text if where is not None else None):
            return None
        del answers[spec.id]
        return found

    def _sql_ready(self, source: str, where: Expression | None, by: Sequence[str]) -> bool:
        """Whether the selection compiles and every `by` column has a kind SQL sorts as pandas."""
        kinds = self.kinds(source)
        if any(kinds.get(column, OTHER) == OTHER for column in by):
            return False
        try:
            self.condition(source, where)
        except NotCompiled:
            return False
        return True

    def did_cells(
        self,
        source: str,
        where: Expression | None,
        outcome: str,
        treatment: Expression,
        post: Expression,
        cluster: str | None,
    ) -> Any:
        """A 2×2 DiD's cell sums, no row collected (engines/base.py; engines/duckdb_cells.py)."""
        from evalsoc.engines.duckdb_cells import did_cells

        return did_cells(self, source, where, outcome, treatment, post, cluster)

    def ols_moments(self, request: Any) -> Any:
        """An OLS's grouped moments, no row collected (engines/base.py; duckdb_moments.py)."""
        from evalsoc.engines.duckdb_moments import ols_moments

        return ols_moments(self, request)

    def ols_second_pass(self, request: Any, terms: Any, kind: str) -> Any:
        """HC0–HC3 sums of a second scan (engines/base.py; duckdb_moments.py)."""
        from evalsoc.engines.duckdb_moments import ols_second_pass

        return ols_second_pass(self, request, terms, kind)
