"""The `where` language's own errors through `python -m evalsoc validate`: a `where_*` code
worded in French under `--lang fr` and in English (unchanged from before it was coded) under
`--lang en`, each followed by the expression and the caret under the fault; and
`ExpressionError.words()`, the two wordings the callers pass on as `detail`."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import MINI_FRAMEWORK, write
from tests.test_errors_cli import evalsoc

from evalsoc.framework.expressions import ExpressionError, parse_expression

WHERE = '            where: "agee > 30"\n'
CARET = ["    agee > 30", "    ^"]  # the expression, and the caret under the unknown column


def test_a_where_error_is_coded_and_worded_in_both_languages(mini: Path) -> None:
    write(
        mini,
        MINI_FRAMEWORK.replace(
            "            proportion: employed\n", "            proportion: employed\n" + WHERE
        ),
    )
    wordings = {
        "fr": "expression `where` invalide : colonne 'agee' inconnue ; vouliez-vous dire 'age' ? "
        "dans l'expression 'agee > 30'",
        "en": "unknown column 'agee'; did you mean 'age'? in expression 'agee > 30'",
    }
    for lang, wording in wordings.items():
        proc = evalsoc("validate", str(mini), "--lang", lang)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        lines = proc.stderr.splitlines()
        first = next(i for i, line in enumerate(lines) if "[where_invalid]" in line)
        assert lines[first].endswith(f": {wording}"), proc.stderr
        assert [line.rstrip() for line in lines[first + 1 : first + 3]] == CARET, proc.stderr
        assert "détail en anglais" not in proc.stderr
    assert "dans l'expression" not in wordings["en"]


def test_words_gives_both_languages_with_the_caret() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("age >= 18 et")
    error = caught.value
    assert error.code == "where_unexpected_end"
    assert error.words() == {
        "fr": "fin inattendue dans l'expression 'age >= 18 et'\n    age >= 18 et\n"
        "                ^",
        "en": "unexpected end in expression 'age >= 18 et'\n    age >= 18 et\n                ^",
    }
    assert str(error) == error.words()["en"]  # the English message, unchanged for logs
    assert error.short_message == "unexpected end"


def test_a_worded_hint_follows_the_language() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("`mon col` == 1 and mon col == 2")
    words = caught.value.words()
    assert (
        "(un nom de colonne avec des espaces s'écrit entre accents graves : `mon col`)"
        in (words["fr"])
    )
    assert "(a column name with spaces goes in backticks: `mon col`)" in words["en"]
    assert "backticks" not in words["fr"]


def test_an_unknown_code_is_refused_at_once() -> None:
    with pytest.raises(KeyError):
        ExpressionError("where_no_such_code", "x")
