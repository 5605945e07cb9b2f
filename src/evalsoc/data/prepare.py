"""From the file as read to the columns as declared, before validation: headers renamed to
ids, select_multiple assembled, codes meaning missing turned missing (with their reason
counted), value labels applied, percentages, dates in words and float codes normalised.

Nothing is dropped here: a cell that a declaration turns missing is counted by reason, and a
value that cannot be read is a failure for the quarantine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from evalsoc.data.info import file_header, header_renames
from evalsoc.data.multiple import assemble, choice_column, choice_flags

_FLOAT_CODE = re.compile(r"^(-?\d+)\.0+$")


@dataclass
class Prepared:
    frame: Any
    tool: str | None = None
    system_columns: list[str] = field(default_factory=list)
    derived_columns: list[str] = field(default_factory=list)  # <id>/<choice> flags
    coded_missing: dict[str, Any] = field(default_factory=dict)  # column → mask of cells
    missing_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # column → reason → n
    value_labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[Any] = field(default_factory=list)  # frames of _row, _column, _check, _value


def prepare(source: Any, frame: Any, info: Any) -> Prepared:
    from evalsoc.data.readers.surveys import detect_tool, system_columns

    columns = [str(c) for c in frame.columns]
    tool = getattr(info, "tool", None) or (
        source.format if source.format in ("kobo", "odk", "limesurvey") else None
    )
    tool = tool or detect_tool(columns)
    result = Prepared(frame, tool=tool, system_columns=system_columns(tool, columns))
    file_labels = getattr(info, "value_labels", {}) or {}
    headers = {col: file_header(source, col, spec) for col, spec in source.columns.items()}

    renames = header_renames(source, frame.columns, headers)
    new: dict[str, Any] = {}
    consumed: set[str] = set()
    for col, spec in source.columns.items():
        if spec.type != "multiple":
            continue
        stored, failures, used = assemble(frame, col, headers[col], spec)
        if stored is None:
            continue  # not found: validation names it with the file's columns
        consumed.update(used)
        new[col] = stored
        for choice, flags in choice_flags(stored, spec.values).items():
            name = choice_column(col, choice)
            new[name] = flags
            result.derived_columns.append(name)
        if failures is not None:
            result.problems.append(failures)
    if renames or new:
        kept = {renames.get(c, c): frame[c] for c in frame.columns if c not in consumed}
        kept.update(new)
        import pandas as pd

        frame = pd.DataFrame(kept, index=frame.index, copy=False)

    for col, spec in source.columns.items():
        if spec.type == "multiple" and spec.labels:
            result.value_labels[col] = {
                str(_plain(k)): v for k, v in _declared_labels(spec).items()
            }
        if col not in frame.columns or spec.type == "multiple":
            continue
        header = headers[col]
        labels = {**file_labels.get(header, {}), **_declared_labels(spec)}
        if labels:
            result.value_labels[col] = {str(_plain(k)): v for k, v in labels.items()}
        series = _apply_missing(frame[col], col, spec, source, info, header, labels, result)
        series = _apply_labels(series, spec, file_labels.get(header, {}))
        if spec.unit == "percent" and spec.type in ("number", "integer"):
            from evalsoc.data.percent import percent_to_proportion

            series = percent_to_proportion(series)
        elif spec.type == "date":
            from evalsoc.data.dates_text import words_to_iso

            series = words_to_iso(series)
        elif spec.type in ("category", "ordinal") and _integer_values(spec.values):
            series = _float_codes_as_integers(series)
        if series is not frame[col]:
            frame[col] = series
    result.frame = frame
    return result


def _declared_labels(spec: Any) -> dict[Any, Any]:
    if not spec.labels:
        return {}
    return {
        k: (v if isinstance(v, str) else v.model_dump(exclude_none=True))
        for k, v in spec.labels.items()
    }


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _key(value: Any) -> str:
    """Codes compared as text: 9, 9.0 and '9' are the same code; 'NSP' and 'nsp' too."""
    return str(_plain(value)).strip().casefold()


def _apply_missing(
    series: Any,
    col: str,
    spec: Any,
    source: Any,
    info: Any,
    header: str,
    labels: dict,
    result: Prepared,
) -> Any:
    import pandas as pd

    codes = [*(spec.missing_values or []), *(source.missing_values or [])]
    file_codes = (getattr(info, "missing_codes", {}) or {}).get(header, [])
    ranges = (getattr(info, "missing_ranges", {}) or {}).get(header, [])
    if not (codes or file_codes or ranges):
        return series
    wanted = {_key(c) for c in [*codes, *file_codes]}
    reasons: dict[Any, str] = {}
    numeric = pd.api.types.is_numeric_dtype(series.dtype)
    for u in pd.unique(series.dropna()):
        in_range = numeric and any(lo <= float(u) <= hi for lo, hi in ranges)
        if _key(u) in wanted or in_range:
            label = labels.get(_plain(u)) if labels else None
            text = label if isinstance(label, str) else (label or {}).get("fr") if label else None
            reasons[u] = f"{_plain(u)} ({text})" if text else str(_plain(u))
    if not reasons:
        return series
    mask = series.isin(list(reasons))
    counts = series[mask].map(reasons).value_counts()
    result.missing_counts[col] = {str(k): int(v) for k, v in sorted(counts.items())}
    result.coded_missing[col] = mask
    return series.mask(mask)


def _apply_labels(series: Any, spec: Any, file_labels: dict) -> Any:
    """Codes → labels when the declared values are the labels (SPSS `values: [Homme, Femme]`)."""
    labels = {**file_labels, **_declared_labels(spec)}
    if not labels or not spec.values or spec.type not in ("category", "ordinal", "string"):
        return series
    texts = {
        (v if isinstance(v, str) else (v.get("fr") or v.get("en"))): k for k, v in labels.items()
    }
    if not all(str(v) in texts for v in spec.values):
        return series
    by_code = {
        _key(k): (v if isinstance(v, str) else v.get("fr") or v.get("en"))
        for k, v in labels.items()
    }

    def relabel(value: Any) -> Any:
        return by_code.get(_key(value), value)

    import pandas as pd

    mapping = {u: relabel(u) for u in pd.unique(series.dropna())}
    return series.map(mapping).astype("string").where(series.notna())


def _integer_values(values: list[Any] | None) -> bool:
    return bool(values) and all(
        isinstance(v, int) or (isinstance(v, str) and v.lstrip("-").isdigit()) for v in values
    )


def _float_codes_as_integers(series: Any) -> Any:
    """'1.0' (a code written by a tool that stores numbers as floats) matches the value 1."""
    import pandas as pd

    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return series
    uniques = [u for u in pd.unique(series.dropna()) if isinstance(u, str) and _FLOAT_CODE.match(u)]
    if not uniques:
        return series
    mapping = {u: _FLOAT_CODE.match(u).group(1) for u in uniques}
    return series.map(lambda v: mapping.get(v, v) if isinstance(v, str) else v)
