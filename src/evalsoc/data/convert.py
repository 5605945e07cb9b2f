"""Turn read columns into their declared types; a value that cannot be converted is a failure,
never silently coerced to missing."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

TRUE_WORDS = {"true", "vrai", "oui", "yes", "y", "o", "1", "1.0", "x"}
FALSE_WORDS = {"false", "faux", "non", "no", "n", "0", "0.0"}


def _text(series: Any) -> Any:
    """Strings, stripped, missing kept missing (works on any input dtype)."""
    import pandas as pd

    if pd.api.types.is_string_dtype(series.dtype) or series.dtype == object:
        out = series.astype("string").str.strip()
    else:
        out = series.astype("string")
    return out.mask(out == "")


_THOUSANDS_POINT = r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?"  # 1.234,56 as French spreadsheets write it


def _finite(numbers: Any, bad: Any) -> tuple[Any, Any]:
    """Infinite values (inf, 1e400) are not measurements: quarantined, not averaged.
    `numbers` is float64; a column without any (nearly always) is returned as it is."""
    import pandas as pd

    infinite = np.isinf(numbers.to_numpy(dtype=np.float64))
    if not infinite.any():
        return numbers, bad
    found = pd.Series(infinite, index=numbers.index, name=numbers.name)
    return numbers.mask(found), bad | found


def to_number(series: Any, decimal: str = ".") -> tuple[Any, Any]:
    import pandas as pd

    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("float64"), pd.Series(False, index=series.index)
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = series.astype("float64")
        return _finite(numbers, pd.Series(False, index=series.index))
    text = _text(series)
    cleaned = text.str.replace("\u00a0", "", regex=False).str.replace("\u202f", "", regex=False)
    cleaned = cleaned.str.replace(" ", "", regex=False)
    if decimal == ",":
        thousands = cleaned.str.fullmatch(_THOUSANDS_POINT, na=False)
        cleaned = cleaned.where(~thousands, cleaned.str.replace(".", "", regex=False))
        cleaned = cleaned.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(cleaned, errors="coerce").astype("float64")
    bad = text.notna() & numbers.isna()
    return _finite(numbers, bad.fillna(False).astype(bool))


INT64_MAX = 2**63 - 1
_LONG_DIGITS = r"[+-]?\d{16,}"  # 16 digits and more may not be exact as a float


def _plain_digits(series: Any) -> Any:
    """Int64 values when every present cell of an Arrow text column is 1 to 15 ASCII digits
    (identifiers, counts): then stripping, separators and the long-number check change nothing,
    and Arrow casts the column at once. None otherwise (the general path decides)."""
    import pandas as pd

    array = getattr(series.array, "_pa_array", None)
    if array is None or not pd.api.types.is_string_dtype(series.dtype):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
        return None
    if array.null_count == len(array):
        return None
    # Every present cell 1 to 15 ASCII digits (the regex ^[0-9]{1,15}$ in two kernels without
    # a regex: 12 ms instead of 85 ms per 10^6 cells; `ascii_is_decimal` is false on "").
    if not pc.all(pc.ascii_is_decimal(array)).as_py():
        return None
    if pc.max(pc.binary_length(array)).as_py() > 15:
        return None
    numbers = pc.cast(array, pa.int64())
    if numbers.null_count:
        values = pc.fill_null(numbers, 0).to_numpy(zero_copy_only=False)
        missing = pc.is_null(numbers).to_numpy(zero_copy_only=False)
    else:  # nothing to fill or mark (identifiers, waves)
        values = numbers.to_numpy(zero_copy_only=False)
        missing = np.zeros(len(values), dtype=bool)
    values = values.astype("int64", copy=False)
    return pd.Series(pd.arrays.IntegerArray(values, missing), index=series.index, name=series.name)


def to_integer(series: Any, decimal: str = ".") -> tuple[Any, Any]:
    """Whole numbers, kept exactly up to 2^63 − 1 (Int64): 2^53 + 1 stays 9007199254740993.
    Beyond that, or a whole number that only a float held (2^53 + 1 read as a double by a
    spreadsheet), the value is quarantined rather than rounded."""
    import pandas as pd

    if pd.api.types.is_integer_dtype(series.dtype):
        return series.astype("Int64"), pd.Series(False, index=series.index)
    plain = _plain_digits(series)
    if plain is not None:
        return plain, pd.Series(False, index=series.index)
    numbers, bad = to_number(series, decimal)
    unusable = numbers.notna() & ((np.floor(numbers) != numbers) | (numbers.abs() > 2**53))
    result = numbers.mask(unusable).astype("Int64")
    if not (pd.api.types.is_string_dtype(series.dtype) or series.dtype == object):
        return result, bad | unusable
    text = _text(series)
    # Fewer than 16 characters cannot hold 16 digits: only longer cells are looked at again.
    text = text[(text.str.len() >= 16).fillna(False).astype(bool)]
    text = text.str.replace(r"[\s\u00a0\u202f]", "", regex=True)
    long_digits = text.str.fullmatch(_LONG_DIGITS, na=False)
    for index, digits in text[long_digits].items():  # rare: one Python int each, exact
        value = int(digits)
        if abs(value) <= INT64_MAX:
            result[index] = value
            unusable[index] = False
        else:
            unusable[index] = True
            result[index] = pd.NA
    return result, bad | unusable


def to_boolean(series: Any) -> tuple[Any, Any]:
    import pandas as pd

    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype("boolean"), pd.Series(False, index=series.index)
    # Map the few distinct spellings, not every row: the column's codes if it has some
    # (data/text_codes.py), else factorize; then look up.
    from evalsoc.data.text_codes import codes_of

    coded = codes_of(series.array)
    if coded is not None:
        codes, uniques = coded.indices, coded.values
    else:
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
    words = [str(u).strip().lower() for u in uniques]
    truth = np.array([w in TRUE_WORDS for w in words] + [False])
    falsity = np.array([w in FALSE_WORDS for w in words] + [False])
    blank = np.array([w == "" for w in words] + [True])  # last slot: missing
    known = truth | falsity
    # One lookup per row in tables of the distinct spellings (code −1, missing: the last slot).
    values, mask = truth[codes], ~known[codes]
    out = pd.Series(pd.arrays.BooleanArray(values, mask), index=series.index)
    bad = pd.Series((~known & ~blank)[codes], index=series.index)
    return out, bad


_DISTINCT: dict[int, tuple[Any, list[Any]]] = {}  # id(array) → (weak reference, values)
_DISTINCT_LOCK = threading.Lock()  # columns are converted on threads (data/column_threads.py)


def distinct_text(series: Any) -> list[Any]:
    """The distinct values of a text column (missing ones kept), found once per array:
    `to_category` and the check of declared values (data/prescreen.py) both read them, and a
    hash pass over 10^6 strings costs ≈ 20 ms. An entry never outlives its array."""
    import weakref

    import pandas as pd

    array = series.array
    found = _DISTINCT.get(id(array))
    if found is not None and found[0]() is array:
        return found[1]
    with _DISTINCT_LOCK:
        for dead in [k for k, (ref, _) in _DISTINCT.items() if ref() is None]:
            del _DISTINCT[dead]
    from evalsoc.data.text_codes import codes_for, present_values

    # One hash pass that also gives codes (data/text_codes.py): the `by` groups of this column
    # and of the rows kept from it reuse them. Order: the dictionary's, first seen first.
    coded = codes_for(array)
    if coded is not None:
        values, missing = present_values(coded)
        values = [*values, series.dtype.na_value] if missing else values
    else:
        values = pd.unique(series).tolist()
    with _DISTINCT_LOCK:
        _DISTINCT[id(array)] = (weakref.ref(array), values)
    return values


def to_category(series: Any, values: list[Any] | None) -> tuple[Any, Any]:
    """Category/ordinal values are compared as text ('1' in the file matches 1 in the YAML)."""
    import pandas as pd

    no_failure = pd.Series(False, index=series.index)
    if pd.api.types.is_string_dtype(series.dtype):
        # Fast path: when no distinct value needs trimming, keep the column as it is.
        uniques = distinct_text(series)  # Python strings: fast to walk (missing ones kept)
        if all(u == u.strip() and u if isinstance(u, str) else pd.isna(u) for u in uniques):
            return series, no_failure
    text = _text(series)
    if pd.api.types.is_float_dtype(series.dtype):
        # 1.0 read from a numeric column means the category "1".
        text = text.str.replace(r"\.0$", "", regex=True)
    return text, no_failure


def to_likert(series: Any, levels: int | list[Any]) -> tuple[Any, Any]:
    """Likert answers as numbers 1..L; labels (a list of `levels`) map to their rank."""
    import pandas as pd

    if isinstance(levels, list):
        mapping = {str(label).strip().lower(): i + 1 for i, label in enumerate(levels)}
        text = _text(series).str.lower()
        codes = text.map(mapping)
        numbers, _ = to_number(series)
        codes = codes.astype("Float64").fillna(numbers.astype("Float64"))
        codes = codes.astype("float64")
        bad = text.notna() & codes.isna()
        top = len(levels)
    else:
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":  # not Int64
            return _whole_likert(series, int(levels))
        codes, bad = to_number(series)
        top = int(levels)
    codes = codes.astype("float64")
    values = codes.to_numpy()
    with np.errstate(invalid="ignore"):  # a missing answer is never outside
        outside = (values < 1) | (values > top) | (np.floor(values) != values)
    outside &= ~np.isnan(values)
    failed = bad.to_numpy(dtype=bool, na_value=False) | outside
    return codes, pd.Series(failed, index=codes.index)


def _whole_likert(series: Any, top: int) -> tuple[Any, Any]:
    """`to_likert` of a numpy integer column (answers read as whole numbers, none missing):
    only the range can fail, tested on the integers before they become floats (4 of the
    general path's 7 passes over 10^6 values are about fractions and missing values)."""
    import pandas as pd

    values = series.to_numpy()
    outside = (values < 1) | (values > top)
    return series.astype("float64"), pd.Series(outside, index=series.index)


def _parse_dates(text: Any, fmt: str) -> Any:
    """Timestamps with a UTC offset (`+01:00`, `Z`) are converted to UTC, then kept without a
    zone: a survey across a daylight-saving change mixes +01:00 and +02:00 (docs/data.md)."""
    import pandas as pd

    dates = pd.to_datetime(text, format=fmt, errors="coerce", utc=True)
    return dates.dt.tz_convert(None)


_NO_DATES = {"string", "empty", "integer", "floating", "mixed-integer-float", "boolean"}


def to_date(series: Any, fmt: str | None) -> tuple[Any, Any]:
    """Dates as written (YYYY-MM-DD, DD/MM/YYYY, ISO timestamps from KoboToolbox or LimeSurvey,
    or a declared `format`), and date cells as Excel stores them."""
    import datetime as dt

    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series, pd.Series(False, index=series.index)
    if series.dtype != object or pd.api.types.infer_dtype(series, skipna=True) in _NO_DATES:
        is_cell_date = pd.Series(False, index=series.index)  # text only: no date cell
    else:  # a spreadsheet's column may mix date cells and text
        is_cell_date = series.map(lambda v: isinstance(v, (dt.date, pd.Timestamp)))
    text = _text(series.mask(is_cell_date))
    # A date is written with digits: pandas would read `now` and `today` as the run's clock.
    text = text.where(text.str.match(r"^\s*\d", na=False) | text.isna(), "")
    if fmt:
        dates = _parse_dates(text, fmt)
    else:
        dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
        for fallback in ("%d/%m/%Y", "ISO8601"):
            missing = dates.isna() & text.notna()
            if not missing.any():
                break
            dates = dates.fillna(_parse_dates(text.where(missing), fallback))
    if is_cell_date.any():
        cells = pd.to_datetime(series.where(is_cell_date), errors="coerce")
        dates = dates.fillna(cells)
    bad = text.notna() & dates.isna()
    return dates, bad.fillna(False).astype(bool)


_DISTINCT_SHARE = 0.2  # below this share of distinct values, convert each distinct value once
_HEAD = 10_000  # rows looked at first: a column whose head is all distinct is converted as is


def by_distinct(convert: Any, series: Any) -> tuple[Any, Any]:
    """`convert(series)` computed on the distinct values of a text column and spread back by
    their codes: a million rows of waves, ages or entry dates hold a few hundred spellings.
    The conversions are per-cell functions, so the result is the same; a column of mostly
    distinct values (amounts, identifiers) is converted as it is. Only text dtypes: in an
    object column 1 and True would hash alike."""
    import pandas as pd

    if len(series) < 1000 or isinstance(series.dtype, pd.CategoricalDtype):
        return convert(series)
    if not (pd.api.types.is_string_dtype(series.dtype) and series.dtype != object):
        return convert(series)
    from evalsoc.data.text_codes import codes_of, sorted_codes

    coded = codes_of(series.array)  # the file's dictionary (data/text_codes.py): no hash pass
    if coded is not None:
        codes, present = sorted_codes(coded, sort=False)  # code −1, missing: the last slot
        uniques = pd.array([*present, None], dtype=series.dtype)
        return _spread(convert, series, codes, uniques)
    # Identifiers are distinct from the first rows on: no need to factorize a million of them.
    # Only a head that is (almost) all distinct says so: a column of entry dates already shows
    # a large share of its few thousand spellings in its first 10,000 rows.
    if len(series) > _HEAD and series.iloc[:_HEAD].nunique(dropna=False) >= 0.99 * _HEAD:
        return convert(series)
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    if len(uniques) > _DISTINCT_SHARE * len(series):
        return convert(series)
    return _spread(convert, series, codes, uniques)


def _spread(convert: Any, series: Any, codes: Any, uniques: Any) -> tuple[Any, Any]:
    """`convert` of the distinct values `uniques`, taken back to the rows by their `codes`."""
    import pandas as pd

    out, bad = convert(pd.Series(uniques, dtype=series.dtype, name=series.name))
    values = pd.Series(out.array.take(codes), index=series.index, name=out.name)
    failed = pd.Series(bad.to_numpy(dtype=bool)[codes], index=series.index, name=bad.name)
    return values, failed


def convert_column(series: Any, spec: Any, decimal: str = ".") -> tuple[Any, Any, str]:
    """(converted series, mask of values that could not be converted, name of the check)."""
    kind = spec.type
    if kind == "number":
        out, bad = by_distinct(lambda s: to_number(s, decimal), series)
        return out, bad, "type: number"
    if kind == "integer":
        # Plain digits (identifiers, waves, years) are cast by Arrow at once, without hashing
        # the column for its distinct spellings first: to_integer's own first step, taken
        # before `by_distinct` (wave of 10^6 rows: 36 → 18 ms of CPU).
        plain = _plain_digits(series)
        if plain is not None:
            import pandas as pd

            return plain, pd.Series(False, index=series.index), "type: integer"
        out, bad = by_distinct(lambda s: to_integer(s, decimal), series)
        return out, bad, "type: integer"
    if kind == "boolean":
        out, bad = to_boolean(series)
        return out, bad, "type: boolean (oui/non, vrai/faux, yes/no, 1/0)"
    if kind in ("category", "ordinal"):
        out, bad = to_category(series, spec.values)
        return out, bad, f"type: {kind}"
    if kind == "likert":
        out, bad = to_likert(series, spec.levels)
        levels = spec.levels if isinstance(spec.levels, int) else len(spec.levels)
        return out, bad, f"likert answer in 1..{levels}"
    if kind == "date":
        out, bad = by_distinct(lambda s: to_date(s, spec.format), series)
        return (
            out,
            bad,
            "type: date" + (f" ({spec.format})" if spec.format else " (YYYY-MM-DD or DD/MM/YYYY)"),
        )
    out, bad = to_category(series, None)
    return out, bad, f"type: {kind}"
