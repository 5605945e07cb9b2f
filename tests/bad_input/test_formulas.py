"""Regression formulas built to reach Python objects are refused by the whitelist, and what the
whitelist accepts runs with no builtins in reach (evalsoc.sections.effects.designs.regression)."""

from __future__ import annotations

import pandas as pd
import pytest

from evalsoc.sections.effects.designs.regression import (
    FormulaError,
    design_matrices,
    formula_columns,
)

COLUMNS = ["y", "x", "g"]
REACHING_PYTHON = [
    "y ~ x.__class__",
    "y ~ I(x.__class__.__mro__)",
    "y ~ np.log.__self__",
    "y ~ np.log(x).__class__",
    "y ~ I(x.real)",
    "y ~ C(x, Treatment)",  # a class object passed, not called
    "y ~ I(np)",
    "y ~ I(True)",
    "y ~ I(None)",
    "y ~ x + True",
    "y ~ I((x, x))",
    "y ~ I(lambda: 1)",
    "y ~ I(x if x else x)",
    "y ~ __import__('os').system('true')",
    "y ~ I(open('/etc/passwd'))",
    "y ~ I(getattr(x, 'real'))",
    "y ~ I(x)[0]",
    "y ~ I(x)(x)",
    "y ~ np.log(x, out=x)",
    "y ~ I(eval('1'))",
    "y ~ I(globals())",
    "y ~ I(9 ** 9 ** 9)",
    "y ~ I('a' * 10 ** 9)",
    "y ~ Q('__builtins__')",
]


@pytest.mark.parametrize("formula", REACHING_PYTHON)
def test_formula_reaching_python_is_refused(formula):
    with pytest.raises(FormulaError):
        formula_columns(formula, COLUMNS, ["g"])


def test_accepted_formulas_still_work():
    frame = pd.DataFrame(
        {"y": [1.0, 2.0, 3.5, 4.0, 6.0, 5.5], "x": [1.0, 2, 3, 4, 5, 6], "g": list("ababab")}
    )
    for formula in [
        "y ~ x + C(g)",
        "y ~ np.log(x) + I(x ** 2)",
        "y ~ C(g, Treatment(reference='b'))",
        "y ~ C(g, levels=('b', 'a'))",
    ]:
        _, X, names = design_matrices(formula, frame)
        assert X.shape[0] == 6 and names[0] == "Intercept"
