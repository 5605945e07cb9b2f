"""Output writers, one module each, chosen with `--format`. A new format is one module with
`FILENAME` and `write(results, folder) -> Path` (and optionally `check()` raising when its
extra is not installed) plus one line in WRITERS."""

from __future__ import annotations

import importlib
from typing import Any

from evalsoc.errors import FrameworkError

WRITERS: dict[str, str] = {
    "json": "evalsoc.report.writers.json_file",
    "html": "evalsoc.report.writers.html_file",
    "pdf": "evalsoc.report.writers.pdf_file",
    "xlsx": "evalsoc.report.writers.xlsx_file",
    "docx": "evalsoc.report.writers.docx_file",
}
DEFAULT_FORMATS = ("html", "json")


def parse_formats(text: str | None) -> tuple[str, ...]:
    """'html,json' / 'all' → the formats in registry order; an unknown name is a usage error."""
    if not text:
        return DEFAULT_FORMATS
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if "all" in names:
        return tuple(WRITERS)
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        raise FrameworkError(
            "output_format_unknown",
            formats=", ".join(map(repr, unknown)),
            known=", ".join(WRITERS),
        )
    return tuple(n for n in WRITERS if n in names)


def writer(name: str) -> Any:
    return importlib.import_module(WRITERS[name])


def check_formats(formats: tuple[str, ...]) -> None:
    """Fail before computing anything when a chosen format's extra is not installed."""
    for name in formats:
        check = getattr(writer(name), "check", None)
        if check is not None:
            check()
