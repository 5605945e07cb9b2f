"""A free regression formula for researchers, reporting one coefficient (`term`).

The formula is parsed by statsmodels' formula engine (patsy). Patsy evaluates each term as a
Python expression, with Python's builtins in reach, so a formula is user code. evalsoc therefore
never hands a formula to the engine before checking it token by token: only column names,
numbers, quoted strings, the formula operators (~ + - * / : ** ( ) , =) and calls to a short
whitelist of functions (C, I, Q, patsy's contrasts and transforms, np.log/exp/sqrt/log1p/abs)
are allowed; anything else (attribute access, other calls, brackets, dunder names, lambdas) is
refused with a message. The engine then runs with a namespace holding only those functions.
"""

from __future__ import annotations

import re
import types
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.measures.common import NotEstimable
from evalsoc.measures.effects.common import cluster_codes, coefficient_inference, result_dict

ALLOWED_CALLS = {
    "C",
    "I",
    "Q",
    "Treatment",
    "Sum",
    "Diff",
    "Helmert",
    "Poly",
    "center",
    "standardize",
    "scale",
    "np.log",
    "np.log1p",
    "np.exp",
    "np.sqrt",
    "np.abs",
    "log",
    "exp",
    "sqrt",
}
ALLOWED_KEYWORDS = {"reference", "levels", "omit", "contrast"}
CONSTANTS = {"True", "False", "None"}

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
  | (?P<string>'[^'\\]*'|"[^"\\]*")
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
  | (?P<op>\*\*|[~+\-*/:(),=|])
    """,
    re.VERBOSE,
)


class FormulaError(ValueError):
    """A formula that evalsoc refuses to evaluate, with the reason."""


def _tokens(formula: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(formula):
        m = _TOKEN.match(formula, pos)
        if not m:
            raise FormulaError(
                f"character {formula[pos]!r} is not allowed in a formula (position {pos})"
            )
        if m.lastgroup != "ws":
            out.append((m.lastgroup or "", m.group()))
        pos = m.end()
    return out


def formula_columns(formula: str, columns: Any) -> list[str]:
    """Check a formula against the whitelist and return the data columns it reads.

    Raises FormulaError (a ValueError) naming the first token that is not allowed.
    """
    available = set(map(str, columns))
    toks = _tokens(formula)
    if sum(1 for kind, text in toks if kind == "op" and text == "~") != 1:
        raise FormulaError("a formula has one '~' between the outcome and the regressors")
    used: list[str] = []
    for i, (kind, text) in enumerate(toks):
        nxt = toks[i + 1][1] if i + 1 < len(toks) else None
        prev = toks[i - 1][1] if i > 0 else None
        if kind == "string" and prev == "(" and i >= 2 and toks[i - 2][1] == "Q":
            name = text[1:-1]
            if name not in available:
                raise FormulaError(f"unknown column {name!r} in Q(...)")
            used.append(name)
        if kind != "name":
            continue
        if "__" in text:
            raise FormulaError(f"{text!r} is not allowed in a formula")
        if nxt == "(":
            if text not in ALLOWED_CALLS:
                raise FormulaError(
                    f"function {text}() is not allowed in a formula; allowed: "
                    + ", ".join(sorted(ALLOWED_CALLS))
                )
        elif nxt == "=":
            if text not in ALLOWED_KEYWORDS:
                raise FormulaError(f"argument {text}= is not allowed in a formula")
        elif text in CONSTANTS:
            continue
        elif text in available:
            used.append(text)
        else:
            raise FormulaError(f"unknown column {text!r} in the formula")
    return list(dict.fromkeys(used))


def _namespace() -> dict[str, Any]:
    safe_np = types.SimpleNamespace(
        log=np.log, log1p=np.log1p, exp=np.exp, sqrt=np.sqrt, abs=np.abs
    )
    return {"np": safe_np, "log": np.log, "exp": np.exp, "sqrt": np.sqrt}


def design_matrices(formula: str, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(y, X, names) from a checked formula via statsmodels' formula API (patsy engine)."""
    import statsmodels.formula.api as smf

    used = formula_columns(formula, frame.columns)
    data = pd.DataFrame(index=frame.index)
    for col in used:
        series = frame[col]
        if pd.api.types.is_bool_dtype(series.dtype):
            data[col] = series.astype(float)
        elif pd.api.types.is_integer_dtype(series.dtype):
            data[col] = series.astype("int64")  # nullable Int64 → numpy (no NA left here)
        elif pd.api.types.is_numeric_dtype(series.dtype):
            data[col] = series.astype("float64")
        elif isinstance(series.dtype, pd.CategoricalDtype):
            data[col] = series.astype(str).astype(object)
        else:
            data[col] = series.astype(object)
    try:
        model = smf.ols(formula, data=data, eval_env=_namespace(), missing="raise")
    except Exception as exc:  # patsy raises its own error types
        raise NotEstimable(f"the formula cannot be read: {exc}") from None
    return (
        np.asarray(model.endog, dtype=float),
        np.asarray(model.exog, dtype=float),
        list(model.exog_names),
    )


def estimate_regression(frame: pd.DataFrame, spec: Any) -> dict[str, Any]:
    """Coefficient `spec.term` of the OLS regression `spec.formula`."""
    try:
        y, X, names = design_matrices(spec.formula, frame)
    except FormulaError as exc:
        raise NotEstimable(f"formula refused: {exc}") from None
    term = spec.term
    if term not in names:
        near = [n for n in names if n.startswith(term)]
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        raise NotEstimable(f"the formula has no term {term!r} (terms: {', '.join(names)}){hint}")
    if np.ptp(y) == 0:
        raise NotEstimable("the outcome takes a single value: there is no variation to explain")
    clusters = cluster_codes(frame[spec.cluster].to_numpy())[0] if spec.cluster else None
    fit = coefficient_inference(
        y,
        X,
        names,
        term,
        se_type=spec.se_type,
        clusters=clusters,
        level=spec.level,
        small_sample=spec.small_sample,
        bootstrap_reps=spec.bootstrap_reps,
        seed=spec.seed,
    )
    n_treated = n_control = None
    groups = None
    if "_d" in frame.columns:
        d = frame["_d"].to_numpy(dtype=int)
        n_treated, n_control = int(d.sum()), int((1 - d).sum())
        groups = (y[d == 1], y[d == 0])
    else:
        j = names.index(term)
        col = X[:, j]
        if np.all((col == 0) | (col == 1)):
            n_treated, n_control = int(col.sum()), int((1 - col).sum())
            groups = (y[col == 1], y[col == 0])
    diagnostics: dict[str, Any] = {
        "formula": spec.formula,
        "terms": names,
        "coefficients": {
            name: {
                "estimate": float(fit["fit"].params[i]),
                "se": float(np.sqrt(fit["fit"].cov[i, i])),
            }
            for i, name in enumerate(names)
        },
        "notes": fit["notes"],
    }
    if "analytic" in fit:
        diagnostics["analytic"] = fit["analytic"]
    extra: dict[str, Any] = {"df": fit["df"], "term": term}
    if groups is not None:
        extra["_groups"] = groups
    return result_dict(
        estimate=fit["estimate"],
        se=fit["se"],
        ci_low=fit["ci_low"],
        ci_high=fit["ci_high"],
        p_value=fit["p_value"],
        n=len(y),
        n_treated=n_treated,
        n_control=n_control,
        n_clusters=fit["n_clusters"],
        design="regression",
        method=f"OLS regression {spec.formula}, coefficient of {term}; {fit['se_words']}",
        diagnostics=diagnostics,
        **extra,
    )
