"""A select_multiple declared once (`type: multiple` with its `values`), whatever the export:
one cell of space-separated choices (KoboToolbox, ODK) or one column per choice holding 1/0,
Y/empty or TRUE/FALSE (Kobo `q/choice`, ODK `q-choice`, LimeSurvey `Q[SQ001]`).

Stored as the ticked choices in declared order, separated by one space ("" = none ticked,
missing = not answered), plus one boolean column `<id>/<choice>` per choice.
"""

from __future__ import annotations

from typing import Any

TICKED = {"1", "1.0", "y", "yes", "true", "oui", "vrai", "x"}
UNTICKED = {"0", "0.0", "n", "no", "false", "non", "faux"}
SEPARATORS = ("{h}/{v}", "{h}-{v}", "{h}[{v}]", "{h}.{v}", "{h}_{v}")


def choice_column(column: str, choice: Any) -> str:
    return f"{column}/{choice}"


def _choice_headers(frame: Any, header: str, choices: list[str]) -> list[str] | None:
    for pattern in SEPARATORS:
        names = [pattern.format(h=header, v=c) for c in choices]
        if all(n in frame.columns for n in names):
            return names
    return None


def assemble(frame: Any, column: str, header: str, spec: Any) -> tuple[Any, Any, list[str]]:
    """(stored series, failures frame or None, file columns consumed)."""
    import pandas as pd

    choices = [_text(v) for v in spec.values]
    if header in frame.columns:
        stored, bad_values = _from_cell(frame[header], choices, spec.empty_means is False)
        consumed = [header]
        extra = _choice_headers(frame, header, choices)
        consumed += extra or []
    else:
        names = _choice_headers(frame, header, choices)
        if names is None:
            return None, None, []
        stored, bad_values = _from_columns(frame[names], choices, spec.empty_means is False)
        consumed = names
    failures = None
    if bad_values is not None and bad_values.any():
        idx = bad_values[bad_values].index
        failures = pd.DataFrame(
            {
                "_row": idx,
                "_column": column,
                "_check": f"multiple: each of {', '.join(choices)}",
                "_value": _raw_text(
                    frame, header, None if header in frame.columns else consumed, idx
                ),
            }
        )
    return stored, failures, consumed


def _raw_text(frame: Any, header: str, names: list[str] | None, idx: Any) -> Any:
    if names is None:
        return frame.loc[idx, header].astype(str).to_numpy()
    sub = frame.loc[idx, names].astype(str)
    return sub.agg(" ".join, axis=1).to_numpy()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _from_cell(series: Any, choices: list[str], empty_is_none: bool) -> tuple[Any, Any]:
    """Space-separated choices; per distinct value, not per row."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    order = {c: i for i, c in enumerate(choices)}
    stored: list[Any] = []
    wrong: list[bool] = []
    for u in uniques:
        tokens = _text(u).split()
        unknown = [t for t in tokens if t not in order]
        wrong.append(bool(unknown))
        if not tokens:
            stored.append("" if empty_is_none else None)
        else:
            stored.append(" ".join(sorted((t for t in set(tokens) if t in order), key=order.get)))
    lookup = np.array(stored + ["" if empty_is_none else None], dtype=object)
    bad_lookup = np.array(wrong + [False])
    out = pd.Series(lookup[codes], index=series.index, dtype="string")
    return out, pd.Series(bad_lookup[codes], index=series.index)


def _from_columns(block: Any, choices: list[str], empty_is_none: bool) -> tuple[Any, Any]:
    """One column per choice: a row with every box empty is unanswered (unless
    `empty_means: false`); otherwise an empty box is a box not ticked."""
    import numpy as np
    import pandas as pd

    ticked = np.zeros(block.shape, dtype=bool)
    empty = np.zeros(block.shape, dtype=bool)
    bad = np.zeros(len(block), dtype=bool)
    for j, name in enumerate(block.columns):
        col = block[name]
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        words = [_text(u).lower() for u in uniques]
        is_tick = np.array([w in TICKED for w in words] + [False])
        is_blank = np.array([w == "" for w in words] + [True])
        is_bad = np.array([not (w in TICKED or w in UNTICKED or w == "") for w in words] + [False])
        ticked[:, j] = is_tick[codes]
        empty[:, j] = is_blank[codes]
        bad |= is_bad[codes]
    unanswered = empty.all(axis=1) & (not empty_is_none)
    # Distinct tick patterns are few: build each stored text once.
    weights = np.zeros(len(block), dtype=np.int64)
    for j in range(len(choices)):
        weights = weights * 2 + ticked[:, j]
    patterns, inverse = np.unique(weights, return_inverse=True)
    texts = []
    for pattern in patterns:
        bits = [(int(pattern) >> (len(choices) - 1 - j)) & 1 for j in range(len(choices))]
        texts.append(" ".join(c for c, b in zip(choices, bits) if b))
    out = pd.Series(np.array(texts, dtype=object)[inverse.reshape(-1)], index=block.index)
    out = out.astype("string").mask(unanswered)
    return out, pd.Series(bad, index=block.index)


def choice_flags(stored: Any, choices: list[Any]) -> dict[str, Any]:
    """One boolean column per choice (missing where the question is unanswered)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(stored, use_na_sentinel=True)
    sets = [set(str(u).split()) for u in uniques]
    out = {}
    for choice in choices:
        text = _text(choice)
        has = np.array([text in s for s in sets] + [False])
        values = has[codes]
        out[text] = pd.Series(
            pd.arrays.BooleanArray(values, codes < 0), index=stored.index, name=text
        )
    return out
