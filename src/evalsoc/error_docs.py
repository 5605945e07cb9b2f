"""docs/errors.md's list of error codes, generated from the catalogue (`error_catalogue`).

`python -m evalsoc.error_docs docs/errors.md` rewrites the block between the markers; a test
checks that the shipped page is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

BEGIN = "<!-- BEGIN GENERATED ERROR CODES -->"
END = "<!-- END GENERATED ERROR CODES -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def errors_markdown() -> str:
    """One table row per error code: code, title, French and English templates."""
    from evalsoc.error_catalogue import ERRORS

    rows = ["| code | title | français | English |", "| --- | --- | --- | --- |"]
    for code in sorted(ERRORS):
        title, fr, en = ERRORS[code]
        rows.append(f"| `{code}` | {_cell(title)} | {_cell(fr)} | {_cell(en)} |")
    return "\n".join(rows) + "\n"


def refreshed(page: str) -> str:
    """`page` with the generated block replaced by the current catalogue."""
    start = page.index(BEGIN) + len(BEGIN)
    stop = page.index(END)
    return page[:start] + "\n" + errors_markdown() + page[stop:]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/errors.md")
    target.write_text(refreshed(target.read_text(encoding="utf-8")), encoding="utf-8")
