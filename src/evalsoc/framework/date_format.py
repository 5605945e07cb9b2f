"""Check a date column's `format:` (strftime directives) when the framework is read, not when
the data are converted: pandas raises on an unknown directive, which must be a framework error."""

from __future__ import annotations

import re

# The directives pandas' to_datetime(format=...) reads (those of Python's strptime).
DIRECTIVES = set("aAwdbBmyYHIpMSfzZjUWcxXGuV%")
_DIRECTIVE = re.compile(r"%(.?)", re.DOTALL)


def check_date_format(fmt: str) -> str:
    """Return `fmt` if every `%x` is a known directive and one at least reads a date part."""
    found = []
    for match in _DIRECTIVE.finditer(fmt):
        letter = match.group(1)
        if letter == "":
            raise ValueError(f"the date format {fmt!r} ends with a lone '%'; write %% for a '%'")
        if letter not in DIRECTIVES:
            raise ValueError(
                f"'%{letter}' is not a date directive in format {fmt!r}; use for example "
                "%d/%m/%Y, %Y-%m-%d or %d.%m.%Y %H:%M (see docs/framework.md)"
            )
        found.append(letter)
    if not set(found) & set("dbBmyYjUWcxGuV"):
        raise ValueError(
            f"the date format {fmt!r} reads no day, month or year; use for example %d/%m/%Y"
        )
    import pandas as pd

    try:  # known directives can still clash (%Y twice, %G without %V...)
        pd.to_datetime(pd.Series(["2025-01-01"]), format=fmt, errors="coerce")
    except (ValueError, re.error) as exc:
        raise ValueError(f"the date format {fmt!r} cannot be used: {exc}") from None
    return fmt
