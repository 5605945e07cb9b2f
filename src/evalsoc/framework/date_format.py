"""Check a date column's `format:` (strftime directives) when the framework is read, not when
the data are converted: pandas raises on an unknown directive, which must be a framework error."""

from __future__ import annotations

import re

from evalsoc.errors import ConfigValueError

# The directives pandas' to_datetime(format=...) reads (those of Python's strptime).
DIRECTIVES = set("aAwdbBmyYHIpMSfzZjUWcxXGuV%")
_DIRECTIVE = re.compile(r"%(.?)", re.DOTALL)


def check_date_format(fmt: str) -> str:
    """Return `fmt` if every `%x` is a known directive and one at least reads a date part."""
    found = []
    for match in _DIRECTIVE.finditer(fmt):
        letter = match.group(1)
        if letter == "":
            raise ConfigValueError("date_format_lone_percent", format=repr(fmt))
        if letter not in DIRECTIVES:
            raise ConfigValueError("date_format_directive", letter=letter, format=repr(fmt))
        found.append(letter)
    if not set(found) & set("dbBmyYjUWcxGuV"):
        raise ConfigValueError("date_format_no_date", format=repr(fmt))
    import pandas as pd

    try:  # known directives can still clash (%Y twice, %G without %V...)
        pd.to_datetime(pd.Series(["2025-01-01"]), format=fmt, errors="coerce")
    except (ValueError, re.error) as exc:
        raise ConfigValueError("date_format_unusable", format=repr(fmt), detail=str(exc)) from None
    return fmt
