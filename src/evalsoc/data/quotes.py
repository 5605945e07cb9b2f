"""Find a CSV quote that opens a cell and is never closed (the rest of the file would become
one cell). Counting quotes is fast; the line-by-line walk runs only when the count is odd."""

from __future__ import annotations

from pathlib import Path

_CHUNK = 1 << 20


def _odd_quote_count(path: Path) -> bool:
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            count += chunk.count(b'"')
    return count % 2 == 1


def unclosed_quote_line(path: Path, delimiter: str) -> int | None:
    """1-based line of the quote left open at the end of the file, or None.

    Follows RFC 4180: a quote opens a cell only at its start (after a delimiter or at the start
    of a line); inside a quoted cell, `""` is a quote and `"` closes it. A quote in the middle
    of an unquoted cell (`5"`) is a plain character."""
    if not _odd_quote_count(path):
        return None
    sep = delimiter.encode("utf-8")[:1] or b","
    quote = ord('"')
    opened_at: int | None = None
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            i, n = 0, len(line)
            cell_start = opened_at is None
            while i < n:
                c = line[i]
                if opened_at is not None:
                    if c == quote:
                        if i + 1 < n and line[i + 1] == quote:
                            i += 2
                            continue
                        opened_at = None
                    i += 1
                    continue
                if c == quote and cell_start:
                    opened_at = number
                cell_start = line[i : i + 1] == sep
                i += 1
    return opened_at
