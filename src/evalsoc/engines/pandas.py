"""The in-memory engine: validated pandas DataFrames, one per source (today's code path).

It caches what several sections or indicators share: the mask of each `where` per source, the
rows it selects, the codes of each `by` column and of each `by` combination. Indicator
statistics are the pandas reductions of sections/indicators/compute.py (`QUANTITATIVE[kind].stats`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from evalsoc.engines.base import Codes, Mask, Statistics
from evalsoc.framework.expressions import Expression


class PandasEngine:
    """Sources held as pandas DataFrames in memory (quarantined rows already removed)."""

    name = "pandas"

    def __init__(self, frames: dict[str, Any], **_options: Any):
        # The options of other engines (memory limit, threads, Spark master) do not apply.
        self.frames = frames  # shared with the caller: sources added later are seen
        self._masks: dict[tuple[str, str], Mask] = {}
        self._filtered: dict[tuple[str, str], Any] = {}
        self._factors: dict[tuple[str, str | None, str], tuple[Codes, list[Any]]] = {}
        self._groupings: dict[tuple[str, str | None, tuple[str, ...]], tuple[Codes, Any]] = {}
        self._last_rows: tuple[tuple[Any, ...], Any] | None = None  # rows() just returned

    def sources(self) -> list[str]:
        return list(self.frames)

    def length(self, source: str) -> int:
        return len(self.frames[source])

    def columns(self, source: str) -> list[str]:
        return [str(c) for c in self.frames[source].columns]

    def dtypes(self, source: str) -> dict[str, str]:
        return {str(c): str(t) for c, t in self.frames[source].dtypes.items()}

    def mask(self, source: str, expression: Expression) -> Mask:
        """Evaluated once per source and expression (engines/pandas_eval.py)."""
        key = (source, expression.text)
        if key not in self._masks:
            series = expression.evaluate(self.frames[source])
            self._masks[key] = series.to_numpy(dtype=bool)
        return self._masks[key]

    def rows(self, source: str, columns: Sequence[str] | None, where: Expression | None) -> Any:
        frame = self.frames[source]
        if where is None:
            if columns is None:
                return frame
            selected = frame[list(columns)]
        else:
            key = (source, where.text)
            if columns is None:
                if key not in self._filtered:
                    self._filtered[key] = frame.loc[self.mask(source, where)]
                return self._filtered[key]
            if key in self._filtered:
                return self._filtered[key][list(columns)]
            selected = frame.loc[self.mask(source, where), list(columns)]
        self._last_rows = ((source, _text(where), tuple(columns)), selected)
        return selected

    def _recent_rows(self, source: str, where: Expression | None, columns: Sequence[str]) -> Any:
        """The rows rows() just returned when they hold `columns` (the indicator's own rows,
        not copied a second time), else a fresh selection that does not replace them."""
        last = self._last_rows
        if last is not None and last[0][:2] == (source, _text(where)):
            if all(c in last[0][2] for c in columns):
                return last[1]
        kept = self._last_rows
        selected = self.rows(source, columns, where)
        self._last_rows = kept
        return selected

    def groups(self, source: str, where: Expression | None, by: Sequence[str]) -> tuple[Codes, Any]:
        from evalsoc.sections.indicators.compute import factorize_column, group_codes

        text = _text(where)
        key = (source, text, tuple(by))
        if key not in self._groupings:
            frame = self._recent_rows(source, where, by)

            def factorize(column: str) -> tuple[Codes, list[Any]]:
                if (source, text, column) not in self._factors:
                    coded = self._dictionary_codes(source, where, column)
                    found = coded if coded is not None else factorize_column(frame[column])
                    self._factors[(source, text, column)] = found
                return self._factors[(source, text, column)]

            self._groupings[key] = group_codes(frame, list(by), factorize)
        return self._groupings[key]

    def _dictionary_codes(
        self, source: str, where: Expression | None, column: str
    ) -> tuple[Codes, list[Any]] | None:
        """`factorize_column` of the rows `where` selects, from the codes of the whole source
        column (data/text_codes.py: found once, shared by every `where`) taken at the mask's
        rows; None when the column is not Arrow text."""
        from evalsoc.data.text_codes import codes_for, sorted_codes
        from evalsoc.sections.indicators.compute import missing_last

        frame = self.frames[source]
        if column not in frame.columns or not frame.columns.is_unique:
            return None
        coded = codes_for(frame[column].array)
        if coded is None:
            return None
        rows = None if where is None else self.mask(source, where)
        return missing_last(*sorted_codes(coded, rows))

    def grouped_statistics(
        self, source: str, where: Expression | None, spec: Any, columns: Sequence[str]
    ) -> Statistics:
        from evalsoc.sections.indicators.compute import QUANTITATIVE

        frame = self._recent_rows(source, where, columns)
        if spec.by:
            codes, groups = self.groups(source, where, spec.by)
            ngroups = len(groups)
        else:
            codes, ngroups = np.zeros(len(frame), dtype=np.int64), 1
        stats: Statistics = QUANTITATIVE[spec.kind].stats(spec, frame, codes, ngroups)
        self._last_rows = None  # the caller holds its rows; the engine keeps no copy
        return stats


def _text(where: Expression | None) -> str | None:
    return where.text if where is not None else None
