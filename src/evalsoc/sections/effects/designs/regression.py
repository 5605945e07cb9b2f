"""A free regression formula for researchers, reporting one coefficient (`term`).

The formula is parsed by statsmodels' formula engine (patsy). Patsy evaluates each term as a
Python expression, with Python's builtins in reach, so a formula is user code. evalsoc therefore
never hands a formula to the engine before checking it token by token: only column names,
numbers, quoted strings, the formula operators (~ + - * / : ** ( ) , =) and calls to a short
whitelist of functions (C, I, Q, patsy's contrasts and transforms, np.log/exp/sqrt/log1p/abs)
are allowed; anything else (attribute access, other calls, brackets, dunder names, lambdas) is
refused with a message. The engine then runs with a namespace holding only those functions.

Whitelisted code can still ask for unbounded work: Python computes `I(9**9**9)` exactly, an
integer of 370 million digits, and patsy expands `(a + b + ... + t)**3` or `a*b*c*...` into
combinatorially many terms. So the formula's structure is checked too (`_Structure`): at most
MAX_FORMULA_LENGTH characters; outside function calls, `**` only raises a parenthesised group of
terms to a whole order from 1 to 3 (`(a + b)**2`, patsy's interactions) and the formula may
expand to at most MAX_TERMS terms; inside calls (Python code), `**` needs a data column in its
base and a plain number from −3 to 3 as exponent (`I(age ** 2)`), and quoted text, text columns
and lists of values take no part in arithmetic (`'a' * 10**9` would build a huge string).

Why one module: the formula check and the fit belong together: the check is what makes the fit
safe to run on user text.
"""

from __future__ import annotations

import math
import re
import types
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalsoc.sections.common import NotEstimable
from evalsoc.sections.effects.common import (
    cluster_codes,
    coefficient_inference,
    is_binary,
    outcome_counts,
    result_from_fit,
    row_weights,
)

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
MAX_FORMULA_LENGTH = 1000  # characters
MAX_TERMS = 500  # terms of the right-hand side once patsy expands the interactions
MAX_EXPONENT = 3  # largest interaction order, and largest |exponent| inside a function

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


# Precedences: patsy's formula operators, and Python's for the code inside function calls.
_FORMULA_OPS = {"|": 50, "+": 100, "-": 100, "*": 200, "/": 200, ":": 300, "**": 500}
_PYTHON_OPS = {"|": 10, "+": 20, "-": 20, "*": 30, "/": 30}
_POWER_HINT = (
    "'**' inside a function is allowed only on an expression of a data column raised to a "
    f"number from -{MAX_EXPONENT} to {MAX_EXPONENT}, as in I(age ** 2); powers of plain numbers "
    "(such as 9 ** 9) or with other exponents can take unbounded time"
)


@dataclass
class _Py:
    """What the checker knows of a Python sub-expression inside a function call."""

    column: bool = False  # reads a data column: arithmetic on it is array arithmetic
    text: bool = False  # quoted text, a text column or a list of values: no arithmetic on it
    number: float | None = None  # the value of a plain (signed) number
    string: str | None = None  # the content of a quoted text


class _Structure:
    """Recursive-descent check of a tokenised formula's structure (see the module docstring)."""

    def __init__(self, toks: list[tuple[str, str]], text_columns: set[str]):
        self.toks = toks
        self.i = 0
        self.text_columns = text_columns
        self.keyword_value = 0  # > 0 while reading `name=value` (levels=, reference=...)

    # -- tokens
    def peek(self, k: int = 0) -> tuple[str | None, str | None]:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else (None, None)

    def take(self) -> tuple[str | None, str | None]:
        tok = self.peek()
        self.i += 1
        return tok

    def unreadable(self) -> FormulaError:
        j = min(self.i, len(self.toks)) - 1
        near = " ".join(t for _, t in self.toks[max(0, j - 2) : j + 3])
        return FormulaError(f"the formula cannot be read near {near!r}")

    def expect(self, text: str) -> None:
        if self.take()[1] != text:
            raise self.unreadable()

    # -- formula level (patsy)
    def check(self) -> int:
        """Walk the whole formula; return an upper bound of the right-hand side's terms."""
        self.formula_expr(0)
        self.expect("~")
        terms = self.formula_expr(0)
        if self.i != len(self.toks):
            raise self.unreadable()
        if terms > MAX_TERMS:
            raise FormulaError(
                f"the formula expands to more than {MAX_TERMS} terms (each '*' and '**' "
                "multiplies the interactions); write fewer interactions"
            )
        return terms

    def formula_expr(self, min_prec: int) -> int:
        kind, text = self.peek()
        group = False
        if kind == "op" and text in ("+", "-"):
            self.take()
            left = self.formula_expr(101)  # unary + and - bind like patsy's
        else:
            left, group = self.formula_atom()
        while True:
            kind, text = self.peek()
            if kind != "op" or text not in _FORMULA_OPS or _FORMULA_OPS[text] < min_prec:
                return left
            self.take()
            if text == "**":
                if not group:
                    raise FormulaError(
                        "'**' outside a function raises a parenthesised sum of terms to an "
                        f"interaction order, as in (a + b)**2 (order 1 to {MAX_EXPONENT}); "
                        "for the square of a column write I(x ** 2)"
                    )
                order = self.interaction_order()
                left = _cap(sum(math.comb(left, k) for k in range(1, order + 1)))
            else:
                right = self.formula_expr(_FORMULA_OPS[text] + 1)
                left = _cap(
                    {
                        "+": left + right,
                        "|": left + right,
                        "-": left,
                        "*": left + right + left * right,
                        "/": left + right,
                        ":": left * right,
                    }[text]
                )
            group = False

    def interaction_order(self) -> int:
        kind, text = self.take()
        if not (kind == "number" and text and text.isdigit() and 1 <= int(text) <= MAX_EXPONENT):
            raise FormulaError(
                f"the interaction order after '**' must be a whole number from 1 to "
                f"{MAX_EXPONENT}, as in (a + b)**2"
            )
        return int(text)

    def formula_atom(self) -> tuple[int, bool]:
        """(terms bound, whether the atom is a parenthesised group)."""
        kind, text = self.take()
        if kind == "op" and text == "(":
            terms = self.formula_expr(0)
            self.expect(")")
            return terms, True
        if kind == "name":
            if self.peek()[1] == "(":
                self.take()
                self.call(text or "")
            elif text in CONSTANTS:
                raise FormulaError(
                    f"{text} is not a term of a formula (write 1 or 0 for the constant)"
                )
            return 1, False
        if kind == "number":
            return 1, False
        if kind == "string":
            raise FormulaError(
                "quoted text is only allowed as the argument of a function, as in Q('my column')"
            )
        raise self.unreadable()

    # -- Python code inside function calls
    def call(self, function: str) -> _Py:
        """The arguments of a call, after its '('; returns what the call's value is."""
        args: list[_Py] = []
        if self.peek()[1] == ")":
            self.take()
            return _Py()
        while True:
            keyword = self.peek()[0] == "name" and self.peek(1)[1] == "="
            if keyword:
                self.take()
                self.take()
            self.keyword_value += keyword
            args.append(self.python_expr(0))
            self.keyword_value -= keyword
            kind, text = self.take()
            if text == ")":
                break
            if text != ",":
                raise self.unreadable()
        first = args[0]
        if function == "Q" and first.string is not None:
            return _Py(column=True, text=first.string in self.text_columns)
        return _Py(
            column=any(a.column for a in args),
            text=function in ("I", "Q") and first.text,
        )

    def python_expr(self, min_prec: int) -> _Py:
        left = self.python_unary()
        while True:
            kind, text = self.peek()
            if kind != "op" or text not in _PYTHON_OPS or _PYTHON_OPS[text] < min_prec:
                return left
            self.take()
            if text == "/" and self.peek()[1] == "/":
                self.take()  # floor division
            right = self.python_expr(_PYTHON_OPS[text] + 1)
            for side in (left, right):
                _no_arithmetic_on_text(side, text)
            left = _Py(column=left.column or right.column)

    def python_unary(self) -> _Py:
        kind, text = self.peek()
        if kind == "op" and text in ("+", "-", "~"):
            self.take()
            operand = self.python_unary()
            _no_arithmetic_on_text(operand, text or "")
            number = operand.number
            if number is not None and text == "-":
                number = -number
            elif text == "~":
                number = None
            return _Py(column=operand.column, number=number)
        return self.python_power()

    def python_power(self) -> _Py:
        base = self.python_atom()
        if self.peek()[1] != "**":
            return base
        self.take()
        exponent = self.python_unary()  # right-associative: 9 ** 9 ** 9 is 9 ** (9 ** 9)
        _no_arithmetic_on_text(base, "**")
        _no_arithmetic_on_text(exponent, "**")
        if not base.column or exponent.number is None or not abs(exponent.number) <= MAX_EXPONENT:
            raise FormulaError(_POWER_HINT)
        return _Py(column=True)

    def python_atom(self) -> _Py:
        kind, text = self.take()
        if kind == "string" and text:
            return _Py(text=True, string=text[1:-1])
        if kind == "number" and text:
            return _Py(number=float(text))
        if kind == "name" and text:
            if self.peek()[1] == "(":
                self.take()
                return self.call(text)
            if text in CONSTANTS:
                if not self.keyword_value:  # I(None), I(True): Python objects, not data
                    raise FormulaError(
                        f"{text} is allowed only as an argument value such as "
                        f"reference={text}, not as a term or a function's data"
                    )
                return _Py()
            return _Py(column=True, text=text in self.text_columns)
        if kind == "op" and text == "(":
            items: list[_Py] = []
            comma = False
            while self.peek()[1] != ")":
                items.append(self.python_expr(0))
                if self.peek()[1] != ",":
                    break
                self.take()
                comma = True
            self.expect(")")
            if len(items) == 1 and not comma:
                return items[0]
            if not self.keyword_value:  # I((x, x)): a Python tuple, not a column
                raise FormulaError(
                    "a list of values in parentheses is allowed only as an argument value "
                    "such as levels=('a', 'b')"
                )
            return _Py(column=any(a.column for a in items), text=True)  # a tuple
        raise self.unreadable()


def _cap(terms: int) -> int:
    return min(terms, MAX_TERMS + 1)  # keeps the bound's arithmetic small


def _no_arithmetic_on_text(operand: _Py, op: str) -> None:
    if operand.text:
        raise FormulaError(
            f"quoted text, a text column or a list of values cannot take part in {op!r} "
            "arithmetic inside a formula"
        )


def formula_columns(formula: str, columns: Any, text_columns: Any = ()) -> list[str]:
    """Check a formula against the whitelist and return the data columns it reads.

    text_columns: the columns holding text (not numbers or booleans), when known; they may not
    take part in arithmetic inside a function call.
    Raises FormulaError (a ValueError) naming the first token or construct that is not allowed.
    """
    if len(formula) > MAX_FORMULA_LENGTH:
        raise FormulaError(
            f"a formula has at most {MAX_FORMULA_LENGTH} characters (this one has {len(formula)})"
        )
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
    _Structure(toks, set(map(str, text_columns))).check()
    return list(dict.fromkeys(used))


def _namespace() -> dict[str, Any]:
    safe_np = types.SimpleNamespace(
        log=np.log, log1p=np.log1p, exp=np.exp, sqrt=np.sqrt, abs=np.abs
    )
    return {"np": safe_np, "log": np.log, "exp": np.exp, "sqrt": np.sqrt}


def design_matrices(formula: str, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(y, X, names) from a checked formula via statsmodels' formula API (patsy engine)."""
    import statsmodels.formula.api as smf

    text_columns = [
        c
        for c in frame.columns
        if not (
            pd.api.types.is_numeric_dtype(frame[c].dtype)
            or pd.api.types.is_bool_dtype(frame[c].dtype)
        )
    ]
    used = formula_columns(formula, frame.columns, text_columns)
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
    from patsy import PatsyError

    try:
        model = smf.ols(formula, data=data, eval_env=_namespace(), missing="raise")
    except (PatsyError, ValueError) as exc:  # a formula patsy cannot build on these data
        raise NotEstimable("formula_unreadable", detail=str(exc)) from None
    return (
        np.asarray(model.endog, dtype=float),
        np.asarray(model.exog, dtype=float),
        list(model.exog_names),
    )


KD = (1, 2, 3)  # a confounder 1, 2 and 3 times as strong as the benchmark (sensemakr's example)


def _classical_t(y: np.ndarray, X: np.ndarray, j: int) -> tuple[float, int]:
    """Classical OLS t statistic of column j and the residual df."""
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ (X.T @ y)
    resid = y - X @ beta
    dof = X.shape[0] - X.shape[1]
    return float(beta[j] / np.sqrt(resid @ resid / dof * bread[j, j])), dof


def benchmark_bounds(
    y: np.ndarray, X: np.ndarray, names: list[str], term: str, spec: Any
) -> list[dict[str, Any]]:
    """Cinelli & Hazlett (2020) bounds: a confounder k times as strong as each benchmark
    covariate (k = 1, 2, 3), with the estimate and interval adjusted for it (sensemakr's
    `ovb_bounds` with `kd = ky = k`, bias taken towards zero)."""
    from scipy import stats

    from evalsoc.stats import sensitivity

    jd = names.index(term)
    others = [i for i in range(len(names)) if i != jd]
    bread = np.linalg.inv(X.T @ X)
    beta = bread @ (X.T @ y)
    resid = y - X @ beta
    dof = X.shape[0] - X.shape[1]
    estimate = float(beta[jd])
    se = float(np.sqrt(resid @ resid / dof * bread[jd, jd]))
    out: list[dict[str, Any]] = []
    for covariate in spec.benchmark_covariates:
        if covariate not in names or covariate == term:
            raise NotEstimable(
                "benchmark_not_a_term",
                covariate=repr(covariate),
                terms=", ".join(n for n in names if n != term),
            )
        jb = names.index(covariate)
        t_y, dof = _classical_t(y, X, jb)
        t_x, dof_x = _classical_t(X[:, jd], X[:, others], others.index(jb))
        r2yxj_dx = sensitivity.partial_r2(t_y, dof)
        r2dxj_x = sensitivity.partial_r2(t_x, dof_x)
        for k in KD:
            r2dz, r2yz = sensitivity.benchmark_bounds(r2dxj_x, r2yxj_dx, k)
            adj, adj_se = sensitivity.adjusted_estimate(estimate, se, dof, r2dz, r2yz)
            crit = float(stats.t.ppf(0.5 + spec.level / 2, dof - 1))
            out.append(
                {
                    "benchmark": covariate,
                    "multiple": k,
                    "r2dz_x": r2dz,
                    "r2yz_dx": r2yz,
                    "adjusted_estimate": adj,
                    "adjusted_se": adj_se,
                    "adjusted_ci": [adj - crit * adj_se, adj + crit * adj_se],
                }
            )
    return out


def estimate_regression(frame: pd.DataFrame, spec: Any) -> dict[str, Any]:
    """Coefficient `spec.term` of the OLS regression `spec.formula`."""
    try:
        y, X, names = design_matrices(spec.formula, frame)
    except FormulaError as exc:
        raise NotEstimable("formula_refused", detail=str(exc)) from None
    term = spec.term
    if term not in names:
        near = [n for n in names if n.startswith(term)]
        quoted = ", ".join(map(repr, near))
        hint = {
            "fr": f" ; vouliez-vous dire {quoted} ?" if near else "",
            "en": f"; did you mean {quoted}?" if near else "",
        }
        raise NotEstimable("formula_no_term", term=repr(term), terms=", ".join(names), hint=hint)
    if np.ptp(y) == 0:
        raise NotEstimable("outcome_constant_explain")
    clusters = cluster_codes(frame[spec.cluster].to_numpy())[0] if spec.cluster else None
    # The groups compared, for the cluster checks: the declared treatment, else a 0/1 term.
    treated = frame["_d"].to_numpy(dtype=int) if "_d" in frame.columns else None
    if treated is None:  # a 0/1 term, read before any weighting rescales the columns
        col = X[:, names.index(term)]
        if np.all((col == 0) | (col == 1)) and 0 < col.sum() < col.size:
            treated = col
    w = row_weights(frame, spec)
    ys, Xs = y, X
    if w is not None:  # weighted least squares: rows of weight 0 out, then columns times √w
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise NotEstimable("weights_invalid")
        keep = w > 0
        root = np.sqrt(w[keep])
        ys, Xs = y[keep] * root, X[keep] * root[:, None]
        clusters = (
            None if clusters is None else cluster_codes(frame[spec.cluster].to_numpy()[keep])[0]
        )
        treated = None if treated is None else np.asarray(treated)[keep]
    fit = coefficient_inference(
        ys,
        Xs,
        names,
        term,
        se_type=spec.se_type,
        clusters=clusters,
        level=spec.level,
        small_sample=spec.small_sample,
        bootstrap_reps=spec.bootstrap_reps,
        seed=spec.seed,
        treated=treated,
        cr2_df=getattr(spec, "cr2_df", "satterthwaite"),
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
    extra: dict[str, Any] = {"term": term}
    if groups is not None:
        extra["_groups"] = groups
        if is_binary(y):  # private counts for the privacy rule (suppress_outcome_shares)
            units = frame[spec.unit].to_numpy() if spec.unit else None
            member = (d == 1) if "_d" in frame.columns else (col == 1)
            extra["_group_counts"] = tuple(
                outcome_counts(y[m], None if units is None else units[m]) for m in (member, ~member)
            )
    if getattr(spec, "benchmark_covariates", None) and fit.get("_ovb"):
        fit["_ovb"]["bounds"] = benchmark_bounds(ys, Xs, names, term, spec)
    return result_from_fit(
        fit,
        n=len(ys),
        n_treated=n_treated,
        n_control=n_control,
        design="regression",
        method=f"{'Weighted least squares' if w is not None else 'OLS'} regression "
        f"{spec.formula}, coefficient of {term}; {fit['se_words']}",
        diagnostics=diagnostics,
        **extra,
    )
