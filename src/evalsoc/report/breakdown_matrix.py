"""Breakdowns as a matrix for print (report.pdf, report.docx): one row per indicator, one column
per group, instead of one table row per (indicator, group).

Why: a framework of 200 indicators by 4 sites printed 1,000 table rows of 8 cells; WeasyPrint's
time grows with the cells it lays out (issue 11). The matrix shows each group's value and its
count n (a suppressed or not estimable cell shows its status, as the row did); the intervals
of each group stay in report.html and results.xlsx, the overall value keeps its interval in
the indicator table above the matrix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalsoc.report.i18n import t

# Group columns per matrix: with the indicator's label (a quarter of the width) six groups
# keep each cell wide enough for "100,0 %" and "n = 1 234" on A4 at 8 pt; more groups make
# further matrices below (same rows, the next groups).
MAX_GROUPS = 6


@dataclass
class MatrixCell:
    value: str  # the group's value, or the status of a cell without one (suppressed…)
    n: str  # "n = 724", "" when the count is not published
    status_key: str

    @property
    def text(self) -> str:
        """One line of text, "50,6 % (n = 724)": one text box per cell for the PDF's layout."""
        return f"{self.value} ({self.n})" if self.n else self.value


@dataclass
class Matrix:
    title: str  # « Détail par Site »
    groups: list[str]
    rows: list[tuple[str, list[MatrixCell]]] = field(default_factory=list)


def breakdown_matrices(indicators: list[dict[str, Any]], lang: str) -> list[Matrix]:
    """The matrices of `indicators` (rows made by report.html's `_indicator_rows`): one per
    breakdown (`by` columns), groups in order of first appearance, at most MAX_GROUPS a table."""
    by_breakdown: dict[str, list[dict[str, Any]]] = {}
    for row in indicators:
        if row.get("by"):
            by_breakdown.setdefault(row["by_label"], []).append(row)
    matrices = []
    for by_label, rows in by_breakdown.items():
        groups: list[str] = []
        for row in rows:
            groups += [c["group"] for c in row["by"] if c["group"] not in groups]
        for start in range(0, len(groups), MAX_GROUPS):
            shown = groups[start : start + MAX_GROUPS]
            matrix = Matrix(f"{t(lang, 'by')} {by_label}", shown)
            for row in rows:
                cells = {c["group"]: c for c in row["by"]}
                matrix.rows.append(
                    (row["label"], [_cell(cells.get(group), lang) for group in shown])
                )
            matrices.append(matrix)
    return matrices


def _cell(cell: dict[str, Any] | None, lang: str) -> MatrixCell:
    if cell is None:  # no one of this group in the indicator's population
        return MatrixCell("—", "", "")
    has_value = cell["value"] != "—"
    return MatrixCell(
        cell["value"] if has_value else cell["status"],
        t(lang, "matrix_n", n=cell["n"]) if cell["n"] != "—" else "",
        cell["status_key"],
    )
