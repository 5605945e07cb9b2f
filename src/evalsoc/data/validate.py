"""Validate a source against its declarations with pandera; quarantine failing rows.

Every row read is either used or quarantined with its reasons: rows_read = rows_used +
rows_quarantined, per source, always.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from evalsoc.data.column_threads import per_column
from evalsoc.data.convert import convert_column
from evalsoc.data.info import ReadInfo
from evalsoc.errors import DataReadError

QUARANTINE_COLUMNS = ["_row", "_column", "_check", "_value"]


@dataclass
class SourceReport:
    name: str
    info: ReadInfo
    rows_read: int = 0
    rows_used: int = 0
    rows_quarantined: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # "column: check" → count
    undeclared_columns: list[str] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)  # each {"fr": ..., "en": ...}
    first_rows: dict[str, int] = field(
        default_factory=dict
    )  # "column: check" → first row (1-based)
    # Intake (data/prepare.py, data/combine.py): rows left out on purpose, and why.
    rows_filtered: int = 0  # excluded by the source's `where`
    rows_unmatched: int = 0  # rows of a join without a partner (data/combine.py)
    missing_codes: dict[str, dict[str, int]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # tool, system columns, labels, join

    def as_dict(self) -> dict[str, Any]:
        intake = {
            "rows_filtered": self.rows_filtered,
            "rows_unmatched": self.rows_unmatched,
            "missing_codes": self.missing_codes,
            **self.extra,
        }
        return {**self._core_dict(), **intake}

    def _core_dict(self) -> dict[str, Any]:
        return {
            "file": self.info.path,
            "format": self.info.format,
            "encoding": self.info.encoding,
            "delimiter": self.info.delimiter,
            "decimal": self.info.decimal,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_quarantined": self.rows_quarantined,
            "failures": dict(sorted(self.failures.items())),
            "undeclared_columns": self.undeclared_columns,
            "notes": [note["en"] for note in self.notes],
        }


def _value_check(spec: Any) -> list[Any]:
    from evalsoc.data.pandera_import import pandera_pandas

    pa = pandera_pandas()

    checks = []
    if spec.min is not None:
        checks.append(pa.Check.ge(spec.min, error=f"min {spec.min:g}"))
    if spec.max is not None:
        checks.append(pa.Check.le(spec.max, error=f"max {spec.max:g}"))
    if spec.values is not None and spec.type in ("category", "ordinal", "string", "text"):
        allowed = [str(v) for v in spec.values]
        checks.append(pa.Check.isin(allowed, error=f"one of {', '.join(allowed)}"))
    elif spec.values is not None and spec.type in ("integer", "number"):
        checks.append(
            pa.Check.isin(
                [float(v) for v in spec.values], error=f"one of {', '.join(map(str, spec.values))}"
            )
        )
    return checks


def build_schema(source: Any, only: set[str] | None = None, check_key: bool = True) -> Any:
    """A pandera DataFrameSchema from the framework's column declarations; `only` these
    columns, and the key's uniqueness if `check_key` (data/prescreen.py)."""
    from evalsoc.data.pandera_import import pandera_pandas

    pa = pandera_pandas()

    key = list(source.key or [])
    columns = {
        name: pa.Column(
            checks=_value_check(spec),
            nullable=spec.nullable,
            # A one-column key already checks this column's uniqueness: its failure ("duplicate
            # key") is the one the quarantine keeps for each such row, so the column's own
            # check, a second pass over a million values, changes nothing (issue 16).
            unique=spec.unique and key != [name],
            required=True,
            name=name,
        )
        for name, spec in source.columns.items()
        if only is None or name in only
    }
    return pa.DataFrameSchema(
        columns,
        unique=list(source.key) if source.key and check_key else None,
        report_duplicates="all",
        strict=False,
        coerce=False,
    )


def _check_name(raw: str, column: str | None, key: list[str]) -> str:
    if raw.startswith("not_nullable"):
        return "missing value (not nullable)"
    if raw.startswith("field_uniqueness"):
        return "duplicate value (unique)"
    if raw.startswith("multiple_fields_uniqueness"):
        return f"duplicate key ({', '.join(key)})"
    return raw


def _collapse_key_duplicates(failures: Any, key: list[str]) -> Any:
    """pandera reports a duplicate key once per key column: make it one failure per row."""
    import pandas as pd

    if len(key) < 2:
        return failures
    is_dup = failures["_check"].str.startswith("duplicate key (")
    if not is_dup.any():
        return failures
    dups = failures[is_dup]
    merged = (
        dups.groupby("_row", sort=True)
        .agg(
            _check=("_check", "first"),
            _value=("_value", lambda v: ", ".join(map(str, v))),
        )
        .reset_index()
    )
    merged["_column"] = ", ".join(key)
    return pd.concat(
        [failures[~is_dup], merged[["_row", "_column", "_check", "_value"]]], ignore_index=True
    )


def _distinct_from_quarantine(names: list[str]) -> list[str]:
    """A data column named `_row` (or `_check`...) is kept, renamed `_row (data)`, next to the
    quarantine's own columns, so that the row number and the file's value both survive."""
    taken = set(QUARANTINE_COLUMNS) | set(names)
    out = []
    for name in names:
        new = name
        while new in QUARANTINE_COLUMNS or (new != name and new in taken):
            new = f"{new} (data)"
        taken.add(new)
        out.append(new)
    return out


def validate_source(
    name: str, source: Any, frame: Any, info: ReadInfo, prepared: Any = None
) -> tuple[Any, SourceReport, Any]:
    """(rows kept for computation, report, quarantine table).

    `prepared` (data/prepare.py) brings what the intake found: system columns of the export,
    cells made missing by a declared code, failures of select_multiple answers."""
    import pandas as pd

    report = SourceReport(name, info, rows_read=len(frame))
    report.notes.extend(info.notes)
    quiet_columns: set[str] = set()
    if prepared is not None:
        quiet_columns = {*prepared.system_columns, *prepared.derived_columns}
        report.missing_codes = prepared.missing_counts
        if prepared.tool:
            report.extra["tool"] = prepared.tool
        if prepared.system_columns:
            report.extra["system_columns"] = prepared.system_columns
        if prepared.value_labels:
            report.extra["value_labels"] = prepared.value_labels
    missing = [c for c in dict.fromkeys([*source.columns, *source.key]) if c not in frame.columns]
    if missing:
        parts = []
        for col in missing:
            header = source.columns[col].name if col in source.columns else None
            wanted = header or col
            near = difflib.get_close_matches(wanted, list(frame.columns), n=2)
            shown = f"{col} (header {header!r})" if header else col
            listed = ", ".join(map(repr, near))
            parts.append(
                {
                    "fr": shown + (f" (vouliez-vous dire {listed} ?)" if near else ""),
                    "en": shown + (f" (did you mean {listed}?)" if near else ""),
                }
            )
        raise DataReadError(
            "data_columns_not_found",
            source=repr(name),
            path=info.path,
            columns={lang: "; ".join(p[lang] for p in parts) for lang in ("fr", "en")},
            found=", ".join(map(str, frame.columns)),
        )
    note_undeclared(
        report,
        [str(c) for c in frame.columns if c not in source.columns and c not in quiet_columns],
    )

    raw = frame
    columns: dict[str, Any] = {col: frame[col] for col in frame.columns}
    problems: list[Any] = list(prepared.problems) if prepared is not None else []
    declared = [  # `multiple`: assembled and checked by data/multiple.py
        (col, frame[col], spec) for col, spec in source.columns.items() if spec.type != "multiple"
    ]
    decimal = info.decimal or "."
    converted_columns = per_column(
        lambda item: convert_column(item[1], item[2], decimal), declared, len(frame)
    )
    for (col, _, _), (values, bad, check) in zip(declared, converted_columns):
        columns[col] = values
        if bad.any():
            idx = bad[bad].index
            problems.append(
                pd.DataFrame(
                    {
                        "_row": idx,
                        "_column": col,
                        "_check": check,
                        "_value": raw.loc[idx, col].astype(str).to_numpy(),
                    }
                )
            )

    if info.cell_problems:  # XLSX error cells: quarantined like the same text in a CSV
        problems.append(pd.DataFrame(info.cell_problems, columns=QUARANTINE_COLUMNS))

    # One new frame from the converted columns (no block-by-block assignment and consolidation).
    converted = pd.DataFrame(columns, index=frame.index, copy=False)
    if source.where:
        from evalsoc.data.source_filter import apply_source_where

        converted, raw, problems, report.rows_filtered = apply_source_where(
            name, source.where, converted, raw, problems
        )

    if prepared is not None and prepared.coded_missing:
        source, coded_gaps = _coded_missing_checked_here(source, converted, prepared.coded_missing)
        problems.extend(coded_gaps)
    if source.columns or source.key:
        from evalsoc.data.prescreen import columns_to_check

        suspects, key_may_repeat = columns_to_check(source, converted)
        if suspects or key_may_repeat:  # pandera is imported only when a check may fail
            problems.extend(_pandera_failures(name, source, converted, suspects, key_may_repeat))

    failures = settle_failures(problems, list(source.key))
    bad_rows = failures["_row"].unique() if len(failures) else []
    keep = _kept(converted.index, bad_rows)
    if len(bad_rows):
        from evalsoc.data.keep_rows import kept_rows

        clean = kept_rows(converted, keep)
    else:
        clean = converted
    report.rows_quarantined = int(len(bad_rows))
    report.rows_used = int(keep.sum())
    assert report.rows_used + report.rows_quarantined + report.rows_filtered == report.rows_read
    count_failures(report, failures)
    quarantine = failures
    if len(failures):
        originals = raw.loc[failures["_row"].to_numpy()].reset_index(drop=True)
        quarantine = quarantine_table(failures, originals)
    return clean, report, quarantine


def _kept(index: Any, bad_rows: Any) -> Any:
    """`~index.isin(bad_rows)`; on the file's own row numbers 0..n-1 (a RangeIndex, as read)
    the labels are the positions, so the mask is set without hashing 10^6 labels (16 ms)."""
    import numpy as np
    import pandas as pd

    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        keep = np.ones(len(index), dtype=bool)
        keep[np.asarray(bad_rows, dtype=np.int64)] = False
        return keep
    return ~index.isin(bad_rows)


def _pandera_failures(
    name: str, source: Any, converted: Any, suspects: set[str], key_may_repeat: bool
) -> list[Any]:
    """pandera's failures of the checks that may fail (data/prescreen.py), as quarantine rows.

    pandera (≈ 0.2 s of CPU to import) is imported here, not before: a file whose every check
    the prescreen proves passing never needs it (issue 16, start-up). Handing pandera only
    the rows where a cell-by-cell check may fail was measured and dropped (round 8): at 10^6
    rows its checks cost little beside its failure report (88 ms either way)."""
    import pandas as pd

    from evalsoc.data.pandera_import import pandera_pandas
    from evalsoc.startup import collector_paused_for

    collector_paused_for(pandera_pandas)  # pandera without pyspark.pandas (pandera_import.py)
    import pandera.errors as pe

    schema = build_schema(source, suspects, key_may_repeat)
    try:
        schema.validate(converted, lazy=True, inplace=True)
    except pe.SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        if len(cases):
            checks = [
                _check_name(str(c), col, list(source.key))
                for c, col in zip(cases["check"], cases["column"])
            ]
            return [
                pd.DataFrame(
                    {
                        "_row": cases["index"].astype("int64").to_numpy(),
                        "_column": cases["column"].astype(str).to_numpy(),
                        "_check": checks,
                        "_value": cases["failure_case"].astype(str).to_numpy(),
                    }
                )
            ]
    except pe.SchemaError as exc:  # pragma: no cover - lazy=True aggregates
        raise DataReadError("data_schema_error", at=f"data source {name!r}", detail=exc) from None
    return []


def settle_failures(problems: list[Any], key: list[str]) -> Any:
    """One failure per row and column, sorted: a conversion failure, which also shows up as a
    missing value, keeps the conversion reason (shared with data/duckdb_intake.py)."""
    import pandas as pd

    if not problems:
        return pd.DataFrame(columns=QUARANTINE_COLUMNS)
    failures = _collapse_key_duplicates(pd.concat(problems, ignore_index=True), key)
    failures["_priority"] = failures["_check"].str.startswith("missing value").astype(int)
    failures = failures.sort_values(["_row", "_column", "_priority"], kind="stable")
    failures = failures.drop_duplicates(["_row", "_column"]).drop(columns="_priority")
    return failures.sort_values(["_row", "_column", "_check"], kind="stable").reset_index(drop=True)


def count_failures(report: SourceReport, failures: Any) -> None:
    for (col, check), count in failures.groupby(["_column", "_check"]).size().items():
        report.failures[f"{col}: {check}"] = int(count)
    for (col, check), first in failures.groupby(["_column", "_check"])["_row"].min().items():
        report.first_rows[f"{col}: {check}"] = int(first) + 1


def quarantine_table(failures: Any, originals: Any) -> Any:
    """The failures beside each failing row's original cells (`originals`, one row per failure,
    as read), missing cells empty; row numbers from 1."""
    import pandas as pd

    shown = originals.astype(str).mask(originals.isna(), "")
    shown.columns = _distinct_from_quarantine(list(map(str, shown.columns)))
    quarantine = pd.concat([failures.reset_index(drop=True), shown], axis=1)
    quarantine["_row"] = quarantine["_row"] + 1
    return quarantine


def _coded_missing_checked_here(source: Any, frame: Any, coded: dict[str, Any]) -> tuple:
    """A cell made missing by a declared missing code (9 = « Ne sait pas ») is an answer
    recorded as missing, not a gap: it does not fail `nullable: false`. Such columns are
    checked here (only their other gaps fail) and pandera sees them as nullable."""
    import pandas as pd

    problems = []
    relaxed = {}
    for col, mask in coded.items():
        spec = source.columns.get(col)
        if spec is None or spec.nullable or col not in frame.columns:
            continue
        gaps = frame[col].isna() & ~mask.reindex(frame.index, fill_value=False)
        if gaps.any():
            idx = gaps[gaps].index
            problems.append(
                pd.DataFrame(
                    {
                        "_row": idx,
                        "_column": col,
                        "_check": "missing value (not nullable)",
                        "_value": "nan",
                    }
                )
            )
        relaxed[col] = spec.model_copy(update={"nullable": True})
    if relaxed:
        source = source.model_copy(update={"columns": {**source.columns, **relaxed}})
    return source, problems


def note_undeclared(report: Any, columns: list[str]) -> None:
    """Record the undeclared columns kept without validation, and say so in both languages
    (the pandas and the DuckDB intakes alike)."""
    report.undeclared_columns = columns
    if report.undeclared_columns:
        listed = ", ".join(report.undeclared_columns)
        count = len(report.undeclared_columns)
        report.notes.append(
            {
                "fr": f"{count} colonne(s) non déclarée(s) gardée(s) sans contrôle : {listed}",
                "en": f"{count} undeclared column(s) kept without validation: {listed}",
            }
        )
