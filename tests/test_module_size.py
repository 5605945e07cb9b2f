"""Short modules with one job (issue 9): a module over 500 lines says why in its docstring."""

from __future__ import annotations

import ast
from pathlib import Path

import evalsoc

PACKAGE = Path(evalsoc.__file__).parent
LIMIT = 500


def test_a_long_module_says_why_it_is_one_module() -> None:
    unexplained = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines <= LIMIT:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "Why one module:" not in docstring:
            unexplained[path.relative_to(PACKAGE).as_posix()] = lines
    assert not unexplained, (
        f"modules over {LIMIT} lines without a 'Why one module:' paragraph: {unexplained}"
    )
