"""What every WeasyPrint layout of the report shares: quiet logs and no resource fetched.

Apart from pdf_file.py and pdf_split.py so that both import it without importing each other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

FONT_DATE = "946684800"
"""2000-01-01T00:00:00Z (seconds since 1970), the date stamped in the embedded fonts."""


def quiet_logs() -> None:
    """WeasyPrint's and fontTools' warnings are about the layout, not the reader's data."""
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def no_network(url: str, *args: Any, **kwargs: Any) -> Any:
    """Inline data only: the report never loads anything from a file or the network."""
    from weasyprint.urls import default_url_fetcher

    if not url.startswith("data:"):
        raise ValueError(f"the report refers to an external resource: {url}")
    return default_url_fetcher(url, *args, **kwargs)


@contextmanager
def fixed_font_dates() -> Iterator[None]:
    """Same HTML, same PDF bytes: WeasyPrint embeds a subset of each font, and fontTools stamps
    the subset's `head` table with the clock unless SOURCE_DATE_EPOCH (the reproducible-builds
    convention) is set; two runs a second apart then differed (WeasyPrint 70, fontTools 4.68).
    The variable is set to FONT_DATE for the write only, and a value the user set is kept."""
    import os

    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_DATE
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
