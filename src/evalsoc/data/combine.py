"""Sources built from other sources: `join` on keys, `stack` of files with the same columns,
`wide_to_long` for waves. Nothing is dropped silently: a row of a join without a partner is
counted as unmatched and listed in invalid/<source>.csv, like the quarantine.

Reconciliation of a derived source: rows_read = rows_used + rows_quarantined + rows_filtered
+ rows_unmatched, where the rows read are the left source's (join), all inputs' (stack), or
one per input row and wave (wide_to_long).
"""

from __future__ import annotations

from typing import Any

from evalsoc.data.info import ReadInfo
from evalsoc.data.validate import QUARANTINE_COLUMNS, SourceReport
from evalsoc.errors import FrameworkError


def build_derived(name: str, source: Any, frames: dict, reports: dict) -> tuple[Any, Any, Any]:
    import pandas as pd

    if source.join:
        frame, report, quarantine = _join(name, source.join, frames)
    elif source.stack:
        frame, report = _stack(name, source.stack, frames)
        quarantine = pd.DataFrame(columns=QUARANTINE_COLUMNS)
    else:
        frame, report = _wide_to_long(name, source.wide_to_long, frames)
        quarantine = pd.DataFrame(columns=QUARANTINE_COLUMNS)
    if source.where:
        from evalsoc.data.source_filter import apply_source_where

        frame, _, _, report.rows_filtered = apply_source_where(name, source.where, frame, frame, [])
        report.rows_used -= report.rows_filtered
    assert (
        report.rows_used + report.rows_quarantined + report.rows_filtered + report.rows_unmatched
        == report.rows_read
    )
    return frame, report, quarantine


def _report(name: str, kind: str, description: str, rows: int) -> SourceReport:
    info = ReadInfo(description, kind, "")
    return SourceReport(name, info, rows_read=rows)


def _text_keys(frame: Any, columns: list[str]) -> Any:
    """Keys compared as text, so an integer id matches the same id read as text ('12' = 12)."""
    import pandas as pd

    def text(value: Any) -> Any:
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    return pd.DataFrame({f"_key{i}": frame[c].map(text) for i, c in enumerate(columns)})


def _at(name: str, how: str) -> dict[str, str]:
    """Where a built source's error is: `data source 'x', join`."""
    return {"fr": f"source de données {name!r}, {how}", "en": f"data source {name!r}, {how}"}


def _join(name: str, spec: Any, frames: dict) -> tuple[Any, SourceReport, Any]:
    import pandas as pd

    left, right = frames[spec.left], frames[spec.right]
    left_on = list(spec.on) if isinstance(spec.on, list) else list(spec.on.keys())
    right_on = list(spec.on) if isinstance(spec.on, list) else list(spec.on.values())
    for side, frame, cols in (("left", left, left_on), ("right", right, right_on)):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            source_name = spec.left if side == "left" else spec.right
            raise FrameworkError(
                "join_column_missing",
                at=_at(name, "join"),
                other=repr(source_name),
                columns=", ".join(map(repr, missing)),
                found=", ".join(map(str, frame.columns)),
            )
    report = _report(name, "join", f"join {spec.left} + {spec.right}", len(left))
    lkeys, rkeys = _text_keys(left, left_on), _text_keys(right, right_on)
    key_cols = list(lkeys.columns)
    l_blank = lkeys.isna().any(axis=1).to_numpy()
    r_blank = rkeys.isna().any(axis=1).to_numpy()
    r_dup = rkeys.duplicated(keep=False).to_numpy() & ~r_blank
    l_dup = lkeys.duplicated(keep=False).to_numpy() & ~l_blank

    right_keys = set(map(tuple, rkeys[~r_blank].itertuples(index=False, name=None)))
    ambiguous_keys = set(map(tuple, rkeys[r_dup].itertuples(index=False, name=None)))
    left_tuples = list(lkeys.itertuples(index=False, name=None))
    matched = pd.Series([(not b) and t in right_keys for t, b in zip(left_tuples, l_blank)])
    ambiguous = pd.Series([t in ambiguous_keys for t in left_tuples]) & matched
    one_to_one_dup = pd.Series(l_dup) & matched if spec.how == "one_to_one" else None

    problems = []
    left_rows = left.index.to_numpy()

    def listed(mask: Any, check: str, frame: Any, rows: Any, keys: Any) -> None:
        if mask.any():
            m = mask.to_numpy() if hasattr(mask, "to_numpy") else mask
            part = pd.DataFrame(
                {
                    "_row": rows[m],
                    "_column": ", ".join(left_on if frame is left else right_on),
                    "_check": check,
                    "_value": keys[m].astype(str).agg(", ".join, axis=1).to_numpy(),
                }
            )
            values = frame.loc[rows[m]].reset_index(drop=True).astype(str)
            problems.append(pd.concat([part.reset_index(drop=True), values], axis=1))

    unmatched = ~matched
    listed(unmatched, f"join: no row of {spec.right!r} with this key", left, left_rows, lkeys)
    quarantined = ambiguous.copy()
    listed(ambiguous, f"join: several rows of {spec.right!r} with this key", left, left_rows, lkeys)
    if one_to_one_dup is not None:
        dup_only = one_to_one_dup & ~ambiguous
        listed(dup_only, f"join one_to_one: key repeated in {spec.left!r}", left, left_rows, lkeys)
        quarantined |= one_to_one_dup
    used_keys = set(t for t, ok in zip(left_tuples, (matched & ~quarantined).to_numpy()) if ok)
    right_tuples = list(rkeys.itertuples(index=False, name=None))
    right_unmatched = pd.Series([t not in used_keys for t in right_tuples])
    right_unmatched_count = int(right_unmatched.sum())
    listed(
        right_unmatched,
        f"join: row of {spec.right!r} matched by no row of {spec.left!r}",
        right,
        right.index.to_numpy(),
        rkeys,
    )

    keep = (matched & ~quarantined).to_numpy()
    lpart = left.loc[left_rows[keep]].reset_index(drop=True)
    lpart_keys = lkeys[keep].reset_index(drop=True)
    rpart = right.loc[~r_blank & ~r_dup].reset_index(drop=True)
    rpart_keys = rkeys[~r_blank & ~r_dup].reset_index(drop=True)
    clash = [c for c in rpart.columns if c in lpart.columns and c not in right_on]
    rpart = rpart.drop(columns=[c for c in right_on if c in lpart.columns or c in left_on])
    rpart = rpart.rename(columns={c: f"{c}_{spec.right}" for c in clash})
    merged = pd.concat([lpart, lpart_keys], axis=1).merge(
        pd.concat([rpart, rpart_keys], axis=1), on=key_cols, how="left", sort=False
    )
    merged = merged.drop(columns=key_cols)
    merged.index = left_rows[keep]

    report.rows_unmatched = int(unmatched.sum())
    report.rows_quarantined = int(quarantined.sum())
    report.rows_used = int(keep.sum())
    many = int(l_dup[keep].sum()) if spec.how == "many_to_one" else 0
    report.extra["join"] = {
        "left": spec.left,
        "right": spec.right,
        "how": spec.how,
        "left_rows": len(left),
        "left_unmatched": report.rows_unmatched,
        "right_rows": len(right),
        "right_unmatched": right_unmatched_count,
        "many_side_repeated_rows": many,
        "renamed_columns": {c: f"{c}_{spec.right}" for c in clash},
    }
    for count, check in (
        (report.rows_unmatched, f"no row of {spec.right} with this key"),
        (int(ambiguous.sum()), f"several rows of {spec.right} with this key"),
        (
            int((one_to_one_dup & ~ambiguous).sum()) if one_to_one_dup is not None else 0,
            f"key repeated in {spec.left} (one_to_one)",
        ),
    ):
        if count:
            report.failures[f"join: {check}"] = count
    if report.rows_unmatched or right_unmatched_count:
        report.notes.append(
            {
                "fr": f"jointure {spec.left} + {spec.right} : {report.rows_unmatched} ligne(s) de "
                f"{spec.left} et {right_unmatched_count} de {spec.right} sans correspondance "
                f"(voir invalid/{name}.csv)",
                "en": f"join {spec.left} + {spec.right}: {report.rows_unmatched} row(s) of "
                f"{spec.left} and {right_unmatched_count} of {spec.right} without a match "
                f"(see invalid/{name}.csv)",
            }
        )
    if clash:
        listed_names = ", ".join(f"{c}_{spec.right}" for c in clash)
        report.notes.append(
            {
                "fr": f"colonnes présentes des deux côtés, renommées : {listed_names}",
                "en": f"columns on both sides, renamed: {listed_names}",
            }
        )
    quarantine = (
        pd.concat(problems, ignore_index=True)
        if problems
        else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    )
    if len(quarantine):
        quarantine["_row"] = quarantine["_row"].astype("int64") + 1
        quarantine = quarantine.fillna("")
    return merged, report, quarantine


def _stack(name: str, spec: Any, frames: dict) -> tuple[Any, SourceReport]:
    import pandas as pd

    parts = [frames[s] for s in spec.sources]
    first = list(parts[0].columns)
    for source_name, part in zip(spec.sources[1:], parts[1:]):
        if set(part.columns) != set(first):
            only_first = sorted(set(first) - set(part.columns))
            only_this = sorted(set(part.columns) - set(first))
            raise FrameworkError(
                "stack_columns_differ",
                at=_at(name, "stack"),
                other=repr(source_name),
                first=repr(spec.sources[0]),
                missing=", ".join(only_first) or "-",
                extra=", ".join(only_this) or "-",
            )
    if spec.column in first:
        raise FrameworkError("stack_column_exists", at=_at(name, "stack"), column=repr(spec.column))
    values = spec.values or {}
    stacked = pd.concat(
        [p[first].assign(**{spec.column: values.get(s, s)}) for s, p in zip(spec.sources, parts)],
        ignore_index=True,
    )
    report = _report(name, "stack", "stack " + " + ".join(spec.sources), len(stacked))
    report.rows_used = len(stacked)
    report.extra["stack"] = {s: len(p) for s, p in zip(spec.sources, parts)}
    return stacked, report


def _wide_to_long(name: str, spec: Any, frames: dict) -> tuple[Any, SourceReport]:
    import pandas as pd

    frame = frames[spec.source]
    prefixes = [f"{w}{spec.separator}" for w in spec.waves]
    stems_by_wave = {
        w: [c[len(p) :] for c in frame.columns if c.startswith(p)]
        for w, p in zip(spec.waves, prefixes)
    }
    stems = list(dict.fromkeys(s for ss in stems_by_wave.values() for s in ss))
    if not stems:
        raise FrameworkError(
            "wide_no_wave_column",
            at=_at(name, "wide_to_long"),
            source=repr(spec.source),
            prefixes={
                lang: word.join(repr(p) for p in prefixes)
                for lang, word in (("fr", " ou "), ("en", " or "))
            },
        )
    for wave, found in stems_by_wave.items():
        absent = [s for s in stems if s not in found]
        if absent:
            raise FrameworkError(
                "wide_wave_incomplete",
                at=_at(name, "wide_to_long"),
                wave=repr(wave),
                columns=", ".join(f"{wave}{spec.separator}{s}" for s in absent),
            )
    wide = [c for c in frame.columns if any(c.startswith(p) for p in prefixes)]
    ids = [c for c in frame.columns if c not in wide]
    if spec.column in ids or spec.column in stems:
        raise FrameworkError(
            "wide_column_exists", at=_at(name, "wide_to_long"), column=repr(spec.column)
        )
    long = pd.concat(
        [
            frame[ids]
            .assign(**{spec.column: wave})
            .join(frame[[f"{wave}{spec.separator}{s}" for s in stems]].set_axis(stems, axis=1))
            for wave in spec.waves
        ],
        ignore_index=True,
    )
    report = _report(name, "wide_to_long", f"wide_to_long {spec.source}", len(long))
    report.rows_used = len(long)
    report.notes.append(
        {
            "fr": f"{len(frame)} ligne(s) de {spec.source} × {len(spec.waves)} vagues "
            f"({', '.join(spec.waves)}) = {len(long)} ligne(s)",
            "en": f"{len(frame)} row(s) of {spec.source} × {len(spec.waves)} waves "
            f"({', '.join(spec.waves)}) = {len(long)} row(s)",
        }
    )
    return long, report
