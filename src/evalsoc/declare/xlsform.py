"""XLSForm → `data:` block. The form is parsed by pyxform (the ODK reference converter, also
used by KoboToolbox), which resolves groups, repeats, choice lists, `label::Language (code)`
columns and the `required`/`constraint`/`relevant` binds exactly as the collecting tools do;
reading the sheets with openpyxl would mean re-implementing that specification."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from evalsoc.declare.emit import Column, Source, data_block, scalar
from evalsoc.errors import DataReadError

TYPES = {
    "integer": "integer",
    "decimal": "number",
    "range": "number",
    "date": "date",
    "datetime": "date",
    "text": "text",
    "select one": "category",
    "select all that apply": "multiple",
}
SEPARATORS = {"kobo": "/", "odk": "-"}
PARENT_KEYS = {"kobo": ("_parent_index", "_index"), "odk": ("PARENT_KEY", "KEY")}
_BOUND = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*$")


def _language(name: str) -> str | None:
    code = re.search(r"\((\w{2})\)\s*$", name)
    if code:
        return code.group(1).lower()
    low = name.strip().lower()
    if low.startswith(("fr", "fran")):
        return "fr"
    if low.startswith(("en", "angl")):
        return "en"
    return None


def localised(label: Any) -> Any:
    if isinstance(label, dict):
        out = {}
        for lang, text in label.items():
            code = _language(lang) or ("fr" if lang == "default" else None)
            if code in ("fr", "en") and text and code not in out:
                out[code] = text
        return out or next(iter(label.values()), None)
    return label


def _bounds(constraint: str | None) -> tuple[float | None, float | None, str | None]:
    """`. >= 15 and . <= 99` → (15, 99); anything else is kept as a comment."""
    if not constraint:
        return None, None, None
    low = high = None
    for part in re.split(r"\s+and\s+", constraint.strip()):
        match = _BOUND.match(part)
        if not match:
            return None, None, constraint
        value = float(match.group(2))
        if match.group(1) == ">=":
            low = value
        else:
            high = value
    return low, high, None


def _column(node: dict, path: list[str], separator: str, ids: set[str]) -> Column | None:
    kind = TYPES.get(node.get("type", ""))
    if kind is None:
        return None
    name = node["name"]
    header = separator.join([*path, name])
    column_id = name if name not in ids else "_".join([*path, name])
    ids.add(column_id)
    bind = node.get("bind") or {}
    required = str(bind.get("required", "")).strip().lower() in ("yes", "true", "true()")
    column = Column(column_id, kind, name=header, label=localised(node.get("label")))
    column.nullable = not required or bool(bind.get("relevant"))
    if kind in ("category", "multiple"):
        choices = node.get("choices") or []
        column.values = [c["name"] for c in choices]
        labelled = {c["name"]: localised(c.get("label")) for c in choices if c.get("label")}
        column.labels = labelled or None
    column.min, column.max, other = _bounds(bind.get("constraint"))
    if other:
        column.comments.append(f"constraint (not translated): {other}")
    if bind.get("relevant"):
        column.comments.append(f"relevant: {bind['relevant']} (asked only then: may be missing)")
    if required and not bind.get("relevant"):
        column.comments.append("required in the form")
    return column


def _walk(node: dict, path: list[str], separator: str, source: Source, repeats: list,
          ids: set[str]) -> None:  # fmt: skip
    for child in node.get("children") or []:
        kind = child.get("type")
        if kind == "group" and child.get("name") != "meta":
            _walk(child, [*path, child["name"]], separator, source, repeats, ids)
        elif kind == "repeat":
            repeats.append((child, [*path, child["name"]]))
        else:
            column = _column(child, path, separator, ids)
            if column is not None:
                source.columns.append(column)


XLSFORM = {"fr": "lire un XLSForm", "en": "reading an XLSForm"}


def xlsform_block(path: Path, tool: str = "kobo") -> str:
    try:
        from pyxform.xls2json import parse_file_to_json
    except ModuleNotFoundError:
        raise DataReadError("reader_needs_package", what=XLSFORM, package="pyxform") from None
    try:
        form = parse_file_to_json(str(path))
    except Exception as exc:  # pyxform raises PyXFormError and others for a broken form
        raise DataReadError("xlsform_unreadable", at=str(path), detail=str(exc)) from None
    separator = SEPARATORS[tool]
    form_id = re.sub(r"\W+", "_", str(form.get("id_string") or path.stem)).strip("_") or "form"
    export = f"{form_id}.csv" if tool == "odk" else f"{form_id}.xlsx"
    main = Source(form_id, export, options=[f"format: {tool}"])
    main.comments.append(
        "the export of the form: KoboToolbox XLSX/CSV with XML values and headers"
        if tool == "kobo"
        else "the export of the form: ODK Central CSV (or its zip, with `table:` for a repeat)"
    )
    repeats: list = []
    _walk(form, [], separator, main, repeats, set())
    sources = [main]
    derived: list[str] = []
    child_key, parent_key = PARENT_KEYS[tool]
    for node, group_path in repeats:
        name = node["name"]
        repeat = Source(
            name,
            export if tool == "kobo" else f"{form_id}.zip",
            options=[f"format: {tool}", f"sheet: {name}" if tool == "kobo" else f"table: {name}"],
        )
        repeat.comments.append(
            f"repeat group {name}: one row per repeat, linked to its parent by {child_key}"
        )
        _walk(node, group_path, separator, repeat, repeats, set())
        sources.append(repeat)
        derived += [
            f"  {scalar(name + '_with_parent')}:",
            f"    join: {{left: {scalar(name)}, right: {scalar(form_id)}, "
            f"on: {{{child_key}: {parent_key}}}, how: many_to_one}}",
        ]
    header = [
        f"Generated by `evalsoc import xlsform {path.name}`: check it, then paste it into a framework.",
        f"Headers as {tool} writes them ({separator!r} between group and question); ids are "
        "the question names.",
    ]
    return data_block(header, sources, derived)
