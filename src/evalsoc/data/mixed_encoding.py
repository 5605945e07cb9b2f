"""Files whose lines mix UTF-8 and Windows-1252 (two exports pasted together, a spreadsheet
edited on two machines). Decoding the whole file as cp1252 turns every UTF-8 « Étang » into
« Ã‰tang », a new group, silently. Each line is decoded on its own instead: as UTF-8 when it is
valid UTF-8, as Windows-1252 otherwise; the lines read as Windows-1252 are reported.

A Windows-1252 line that happens to be valid UTF-8 (« Ã© » typed on purpose) would be read as
UTF-8: that needs two specific accented capitals in a row, and is accepted as the limit.
"""

from __future__ import annotations

import re
from pathlib import Path

# A non-ASCII character in UTF-8 is a lead byte followed by a continuation byte: a file without
# that pair has no UTF-8 line beyond ASCII (a whole Windows-1252 file), found without a loop.
_UTF8_PAIR = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def split_mixed_lines(path: Path) -> tuple[bytes, list[int]] | None:
    """(the file re-encoded as UTF-8, 1-based numbers of the Windows-1252 lines), or None when
    the file is not a mix (no line is UTF-8 beyond ASCII, or every line is UTF-8)."""
    data = path.read_bytes()
    if _UTF8_PAIR.search(data) is None:
        return None
    lines = data.splitlines(keepends=True)
    out: list[bytes] = []
    legacy: list[int] = []
    utf8_accented = 0
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            out.append(line)
            continue
        try:
            line.decode("utf-8")
            utf8_accented += 1
            out.append(line)
        except UnicodeDecodeError:
            legacy.append(number)
            out.append(line.decode("cp1252", errors="replace").encode("utf-8"))
    if not legacy or not utf8_accented:
        return None
    return b"".join(out), legacy


def line_ranges(numbers: list[int], limit: int = 8) -> str:
    """'3, 7–9, 12' (at most `limit` ranges, then '…')."""
    ranges: list[tuple[int, int]] = []
    for n in numbers:
        if ranges and n == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], n)
        else:
            ranges.append((n, n))
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in ranges[:limit])
    return text + (", …" if len(ranges) > limit else "")
