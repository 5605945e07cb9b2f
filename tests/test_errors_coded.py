"""Errors users see are coded: a catalogue code and parameters, never literal English text.

Scans the package (AST) for a call of an error class (FrameworkError, DataReadError,
DataPolicyError and their subclasses, the `where` language's ExpressionError, or the `error`
class a helper receives) whose first
argument is text (a string that is not a catalogue code, an f-string, a concatenation): such
an error could only be printed in English. Then checks the error type itself: its message in
both languages, its position, its JSON shape, its pickling, and the language rule.
"""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

import evalsoc
from evalsoc.error_catalogue import ERRORS
from evalsoc.errors import (
    DataPolicyError,
    DataReadError,
    EvalsocError,
    FrameworkError,
    did_you_mean,
    forget_languages,
    prefer_language,
    user_language,
)
from evalsoc.problems import CATALOGUE, placeholders

PACKAGE = Path(evalsoc.__file__).parent
BASES = {
    "EvalsocError",
    "FrameworkError",
    "DataReadError",
    "DataPolicyError",
    "ConfigValueError",
    "ExpressionError",  # the `where` language's errors (framework/expressions.py, engines/)
}


def _error_classes(trees: list[ast.AST]) -> set[str]:
    """The names of the error classes: the bases and every class deriving from one of them."""
    return _subclasses(trees, BASES) | {"error"}  # check_regular_file receives it as `error`


def _subclasses(trees: list[ast.AST], bases: set[str]) -> set[str]:
    """`bases` and every class of `trees` deriving from one of them, directly or not."""
    names = set(bases)
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name not in names:
                    if {_base_name(b) for b in node.bases} & names:
                        names.add(node.name)
                        changed = True
    return names


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _code_ok(node: ast.AST) -> bool:
    """A catalogue code, a choice between codes, or a name that holds one (load._coded)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value in CATALOGUE
    if isinstance(node, ast.IfExp):
        return _code_ok(node.body) and _code_ok(node.orelse)
    if isinstance(node, ast.Attribute):  # a coded error's own code, passed on (`exc.code`), or
        return node.attr == "code" or node.attr.endswith("_code")  # a class's (`unsupported_code`)
    return isinstance(node, ast.Name)


def uncoded_errors(tree: ast.AST, classes: set[str]) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called(node) in classes:
            if not node.args or not _code_ok(node.args[0]):
                lines.append(node.lineno)
    return lines


def _sources() -> dict[str, ast.AST]:
    return {
        path.relative_to(PACKAGE).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def test_no_error_is_raised_with_literal_text() -> None:
    trees = _sources()
    classes = _error_classes(list(trees.values()))
    found = {
        name: lines for name, tree in trees.items() if (lines := uncoded_errors(tree, classes))
    }
    assert not found, f"errors raised with text instead of a code (see docs/errors.md): {found}"


def test_the_scan_finds_literal_text_and_unknown_codes() -> None:
    code = (
        'raise FrameworkError(f"{path}: bad")\n'
        'raise DataReadError("no such code here")\n'
        'raise OutputFolderError("a" + b)\n'
        'raise FrameworkError("key_missing", key="x")\n'
        'raise error("file_not_found", what=w, path=p)\n'
        "raise FrameworkError(exc.code, at=where, **exc.params)\n"
        "raise FrameworkError(exc.detail)\n"
    )
    tree = ast.parse("class OutputFolderError(FrameworkError):\n    pass\n" + code)
    classes = _error_classes([tree])
    assert "OutputFolderError" in classes
    assert uncoded_errors(tree, classes) == [3, 4, 5, 9]


def test_the_scan_finds_where_errors_raised_with_text() -> None:
    code = (
        'raise ExpressionError("unexpected end", self.text, len(self.text))\n'
        'raise ExpressionError(f"unknown column {col!r}{hint}", self.text, pos)\n'
        "raise ExpressionError(str(exc), text, pos)\n"
        'raise ExpressionError("where_unexpected_end", self.text, len(self.text))\n'
        "raise ExpressionError(self.unsupported_code, self.text)\n"
        "raise ExpressionError(self.unsupported, self.text)\n"
    )
    tree = ast.parse(code)
    classes = _error_classes([tree])
    assert uncoded_errors(tree, classes) == [1, 2, 3, 6]


# The config models' validators: pydantic keeps the exception, the loader reports its code; a
# plain ValueError reaches the user as `value_refused`, whose French is « détail en anglais ».
MODEL_BASES = {"BaseModel", "RootModel"}


def _base_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Subscript):  # RootModel[list[int]]
        node = node.value
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _model_classes(trees: list[ast.AST]) -> set[str]:
    """The pydantic models: BaseModel and every class deriving from one (StrictModel, ...)."""
    return _subclasses(trees, MODEL_BASES)


def _is_text(node: ast.expr) -> bool:
    """A literal, an f-string, a concatenation or formatting of them: words, not a code."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def _worded_value_errors(node: ast.AST) -> list[int]:
    lines = []
    for raised in ast.walk(node):
        if isinstance(raised, ast.Raise) and isinstance(raised.exc, ast.Call):
            call = raised.exc
            if _called(call) == "ValueError" and call.args and _is_text(call.args[0]):
                lines.append(raised.lineno)
    return lines


def worded_validator_errors(tree: ast.AST, models: set[str], config_module: bool) -> list[int]:
    """Lines raising ValueError with words inside a pydantic model or a config module."""
    if config_module:
        return sorted(set(_worded_value_errors(tree)))
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name in models:
            lines.update(_worded_value_errors(node))
    return sorted(lines)


def _is_config_module(name: str) -> bool:
    """framework/ and every section's config*.py: the modules that define framework keys."""
    return name.startswith("framework/") or (
        name.startswith("sections/") and name.rsplit("/", 1)[-1].startswith("config")
    )


def test_no_config_validator_refuses_with_english_text() -> None:
    trees = _sources()
    models = _model_classes(list(trees.values()))
    found = {
        name: lines
        for name, tree in trees.items()
        if (lines := worded_validator_errors(tree, models, _is_config_module(name)))
    }
    assert not found, (
        f"validators refusing with English text instead of ConfigValueError(code): {found}"
    )


def test_the_validator_scan_finds_worded_value_errors() -> None:
    code = (
        "class Spec(StrictModel):\n"
        "    def _check(self):\n"
        '        raise ValueError(f"{self.id!r} is wrong")\n'  # 3: an f-string
        '        raise ValueError("wrong")\n'  # 4: a literal
        '        raise ValueError("line " + x)\n'  # 5: a concatenation
        '        raise ConfigValueError("period_reversed", start=1, end=0)\n'
        "        raise ValueError(message)\n"  # a name: not words here
        "def helper():\n"
        '    raise ValueError("outside any model")\n'  # 9: only in a config module
        "class StrictModel(BaseModel):\n"
        "    pass\n"
    )
    tree = ast.parse(code)
    models = _model_classes([tree])
    assert {"Spec", "StrictModel"} <= models
    assert worded_validator_errors(tree, models, config_module=False) == [3, 4, 5]
    assert worded_validator_errors(tree, models, config_module=True) == [3, 4, 5, 9]
    assert _is_config_module("sections/sroi/config.py")
    assert _is_config_module("sections/effects/config_designs.py")
    assert not _is_config_module("stats/bootstrap.py")


@pytest.mark.parametrize("code", sorted(ERRORS))
def test_every_error_code_is_worded_twice_with_the_same_placeholders(code: str) -> None:
    title, fr, en = CATALOGUE[code]
    assert title and fr and en and fr != en
    assert placeholders(fr) == placeholders(en)


def test_the_error_codes_do_not_clash_with_the_other_problems() -> None:
    import evalsoc.problems as problems

    source = Path(problems.__file__).read_text(encoding="utf-8")
    for code in ERRORS:  # a code of the errors' block is not also a key of the main block
        assert f'    "{code}": (' not in source, code


def test_an_error_speaks_both_languages_with_its_position() -> None:
    error = FrameworkError("key_missing", at="f.yaml:3:1: data.people", key="'file'")
    assert error.code == "key_missing" and error.params == {"key": "'file'"}
    assert str(error) == "f.yaml:3:1: data.people: missing required key 'file'"
    assert error.message("fr") == "f.yaml:3:1: data.people: clé obligatoire absente : 'file'"
    assert error.exit_code == 2
    assert DataReadError("data_file_empty").exit_code == 2
    assert (
        DataPolicyError("data_refused_stop", source="'s'", invalid=1, read=2, detail="-").exit_code
        == 1
    )


def test_located_prefixes_the_position_and_keeps_the_class() -> None:
    inner = DataReadError("data_file_empty", at="people.csv")
    outer = inner.located("f.yaml:7:11: data.people.file")
    assert isinstance(outer, DataReadError) and outer.code == "data_file_empty"
    assert str(outer) == (
        "f.yaml:7:11: data.people.file: people.csv: the file is empty (no header line, no data)"
    )
    worded = FrameworkError(
        "resources_line_twice", at={"fr": "ligne 3", "en": "row 3"}, line="'a'", year=2024
    )
    assert worded.located("resources").message("fr").startswith("resources: ligne 3: la ligne 'a'")


def test_gathered_problems_print_one_line_each_and_list_in_json() -> None:
    problems = [
        FrameworkError("key_unknown", key="'tite'").located("f.yaml:4:1: tite"),
        FrameworkError("key_missing", key="'id'").located("f.yaml:1:1: id"),
    ]
    error = FrameworkError("framework_problems", at="f.yaml", count=2, problems=problems)
    assert error.message("fr").splitlines() == [
        "f.yaml: le cadre a 2 problème(s) :",
        "f.yaml:4:1: tite: clé inconnue 'tite'",
        "f.yaml:1:1: id: clé obligatoire absente : 'id'",
    ]
    assert error.as_list()[1] == {
        "code": "key_missing",
        "title": "missing key",
        "position": "f.yaml:1:1: id",
        "message": {"fr": "clé obligatoire absente : 'id'", "en": "missing required key 'id'"},
    }


def test_an_error_survives_pickling_with_its_code() -> None:
    error = FrameworkError("engine_unknown", engine="'x'", known="pandas").located("engine")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), again.code, str(again)) == (FrameworkError, error.code, str(error))


def test_an_unknown_code_is_an_internal_error_at_once() -> None:
    with pytest.raises(KeyError):
        EvalsocError("no_such_code")


def test_did_you_mean_in_both_languages() -> None:
    assert did_you_mean("tite", ["title", "id"]) == {
        "fr": " ; vouliez-vous dire 'title' ?",
        "en": "; did you mean 'title'?",
    }
    assert did_you_mean("zzz", ["title"]) == {"fr": "", "en": ""}


def test_the_language_rule() -> None:
    forget_languages()
    try:
        assert user_language({}) == "en"
        assert user_language({"LANG": "fr_FR.UTF-8"}) == "fr"
        assert user_language({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}) == "en"  # LC_ALL first
        prefer_language("framework", "fr")
        assert user_language({"LANG": "en_GB.UTF-8"}) == "fr"  # the framework beats the locale
        prefer_language("option", "en")
        assert user_language({"LANG": "fr_FR.UTF-8"}) == "en"  # --lang beats both
        prefer_language("framework", "de")  # not a language evalsoc writes: ignored
        forget_languages()
        assert user_language({"LANG": "fr_FR"}) == "fr"
    finally:
        forget_languages()


def _load_problems(tmp_path: Path, text: str) -> list[dict]:
    from evalsoc.framework.load import load_framework

    path = tmp_path / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(path)
    return caught.value.as_list()


HEAD = "evalsoc: 1\nid: f\ntitle: F\ndata:\n  people: {file: people.csv}\n"


def test_a_validator_refusal_keeps_its_code_and_french(tmp_path: Path) -> None:
    text = HEAD + "period: {start: 2025-12-31, end: 2025-01-01}\n"
    (problem,) = _load_problems(tmp_path, text)
    assert problem["code"] == "period_reversed"
    assert problem["position"].endswith(":6:9: period")
    assert problem["message"] == {
        "fr": "la période commence (2025-12-31) après sa fin (2025-01-01)",
        "en": "the period starts (2025-12-31) after it ends (2025-01-01)",
    }


def test_a_pydantic_type_error_is_worded_in_french(tmp_path: Path) -> None:
    (problem,) = _load_problems(tmp_path, HEAD + "privacy: {min_cell: trois}\n")
    assert problem["code"] == "value_invalid_given"
    assert problem["message"]["fr"] == "un nombre entier est attendu (reçu 'trois')"
    assert problem["message"]["en"].startswith("Input should be a valid integer")
