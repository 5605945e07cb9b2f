"""SPSS (.sav/.zsav), Stata (.dta), SAS (.sas7bdat/.xpt) through pyreadstat (ReadStat, the
library R's haven uses): codes are kept as stored, value labels and user-missing codes are
carried in IntakeInfo so that declarations decide what they mean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalsoc.data.info import sha256_file
from evalsoc.data.readers import IntakeInfo
from evalsoc.errors import DataReadError

_FUNCTIONS = {
    "spss": "read_sav",
    "stata": "read_dta",
    "sas": "read_sas7bdat",
    "xport": "read_xport",
}


def _pyreadstat() -> Any:
    try:
        import pyreadstat
    except ModuleNotFoundError:
        raise DataReadError(
            "reader_needs_package",
            what={
                "fr": "lire des fichiers SPSS, Stata ou SAS",
                "en": "reading SPSS, Stata or SAS files",
            },
            package="pyreadstat",
        ) from None
    return pyreadstat


def read_statistical(path: Path, source: Any) -> tuple[Any, IntakeInfo]:
    from evalsoc.data.readers import format_of

    fmt = source.format or format_of(path) or "spss"
    pyreadstat = _pyreadstat()
    reader = getattr(pyreadstat, _FUNCTIONS[fmt])
    options: dict[str, Any] = {"apply_value_formats": False}
    if fmt in ("spss", "stata", "sas"):
        options["user_missing"] = True  # keep 9 = "Ne sait pas" visible, then count it
    if source.encoding and fmt != "xport":
        options["encoding"] = source.encoding
    try:
        frame, meta = reader(str(path), **options)
    except (pyreadstat.ReadstatError, OSError, UnicodeDecodeError) as exc:
        raise DataReadError(
            "data_file_unreadable_as", at=str(path), format=fmt, detail=str(exc)
        ) from None
    info = IntakeInfo(str(path), fmt, sha256_file(path), encoding=meta.file_encoding, tool=fmt)
    info.value_labels = {
        col: {_plain(code): str(label) for code, label in labels.items()}
        for col, labels in (meta.variable_value_labels or {}).items()
    }
    for col, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for item in ranges:
            lo, hi = item["lo"], item["hi"]
            if lo == hi:
                info.missing_codes.setdefault(col, []).append(_plain(lo))
            else:
                info.missing_ranges.setdefault(col, []).append((float(lo), float(hi)))
    for col, codes in (getattr(meta, "missing_user_values", None) or {}).items():
        info.missing_codes.setdefault(col, []).extend(_plain(c) for c in codes)
    info.rows_read = len(frame)
    return frame, info


def _plain(value: Any) -> Any:
    """1.0 → 1, so that labels and missing codes match integer codes written in YAML."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
