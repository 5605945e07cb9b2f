"""What every WeasyPrint layout of the report shares: quiet logs and no resource fetched.

Apart from pdf_file.py and pdf_split.py so that both import it without importing each other."""

from __future__ import annotations

from typing import Any


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
