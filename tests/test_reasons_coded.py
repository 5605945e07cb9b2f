"""Reasons published in results.json are coded problems `{code, fr, en}`, never English text.

Scans the package for a dict entry, keyword or subscript assignment whose key names a reason
or a note and whose value is a literal text (a string or an f-string): such a reason would
reach a French reader in English; a new one fails this test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import evalsoc

PACKAGE = Path(evalsoc.__file__).parent

# Every reason is coded (issue 9): keep this empty. stats/ returns codes under `reason_code`,
# which the calling section words through the catalogue.
NOT_YET_CODED: set[str] = set()
# Not results: the templates' data generators write their truth.json for the tests.
SKIPPED_FOLDERS = ("generators/",)


def _reason_key(key: str) -> bool:
    return key == "reason" or key.endswith("_reason") or key == "note"


def _literal_text(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.IfExp):
        return _literal_text(node.body) or _literal_text(node.orelse)
    if isinstance(node, ast.BinOp):
        return _literal_text(node.left) or _literal_text(node.right)
    return False


def _language_tables(tree: ast.AST) -> set[int]:
    """ids of the dicts that are one language's phrases (`{"fr": {...}, "en": {...}}`)."""
    tables = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value in ("fr", "en"):
                    tables.add(id(value))
    return tables


def english_reasons(tree: ast.AST, report_text: bool = False) -> list[int]:
    """Lines publishing a reason as literal text; `report_text`: a renderer's module, whose
    local texts are already in the report's language (only published keys count there)."""
    lines = []
    phrases = _language_tables(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and id(node) not in phrases:
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    if _reason_key(key.value) and _literal_text(value):
                        lines.append(node.lineno)
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg and _reason_key(keyword.arg) and _literal_text(keyword.value):
                    lines.append(node.lineno)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Name)
                    and (_reason_key(target.id) or target.id.endswith("_note"))
                    and _literal_text(node.value)
                    and not report_text
                ):
                    lines.append(node.lineno)  # a reason kept in a variable, published later
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.slice, ast.Constant)
                    and isinstance(target.slice.value, str)
                    and _reason_key(target.slice.value)
                    and _literal_text(node.value)
                ):
                    lines.append(node.lineno)
    return lines


def test_no_english_reason_in_the_package() -> None:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in NOT_YET_CODED or name.startswith(SKIPPED_FOLDERS):
            continue
        report_text = path.name.startswith("render")
        lines = english_reasons(ast.parse(path.read_text(encoding="utf-8")), report_text)
        if lines:
            found[name] = lines
    assert not found, f"reasons written as English text (use evalsoc.problems): {found}"


def test_the_scan_finds_an_english_reason() -> None:
    code = 'out = {"reason": "too few rows"}\nrow["ci_reason"] = f"only {n}"\nf(note="x")\n'
    code += 'persons_note = "a person may count twice"\n'
    assert sorted(english_reasons(ast.parse(code))) == [1, 2, 3, 4]
    assert sorted(english_reasons(ast.parse(code), report_text=True)) == [1, 2, 3]
    assert english_reasons(ast.parse('out = {"reason": problem("no_rows_with_value")}')) == []
    phrases = 'TEXT = {"fr": {"note": "Une note."}, "en": {"note": "A note."}}'
    assert english_reasons(ast.parse(phrases)) == []
