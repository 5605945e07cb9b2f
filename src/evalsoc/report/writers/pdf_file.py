"""report.pdf with WeasyPrint (extra `evalsoc[pdf]`): the HTML report in its print form — A4,
page numbers, running header, breakdowns open, sections on new pages (see report.css @page).

WeasyPrint rather than a browser's print: it is a Python library with a documented CSS paged
media support (margin boxes, running elements, page counters) and gives the same bytes for
the same HTML (no creation date unless the HTML declares one; the embedded fonts' dates
pinned by weasyprint_setup.fixed_font_dates)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalsoc.errors import FrameworkError
from evalsoc.report.writers.weasyprint_setup import fixed_font_dates, no_network, quiet_logs

FILENAME = "report.pdf"


def check() -> None:
    """WeasyPrint and pypdf (a long report is merged from two halves) are importable."""
    try:
        import pypdf  # noqa: F401
        import weasyprint  # noqa: F401
    except ImportError as exc:
        raise FrameworkError("pdf_needs_weasyprint", detail=str(exc)) from None


def warm_up() -> None:
    """Import WeasyPrint and lay out one tiny page with a table and an SVG (fontconfig, Pango and
    the SVG and PDF modules loaded): what the PDF worker does while the analysis runs."""
    check()
    from weasyprint import HTML

    quiet_logs()
    HTML(string=WARM_UP_PAGE, base_url=None, url_fetcher=no_network).write_pdf()


WARM_UP_PAGE = (
    "<style>@page { size: A4; @bottom-right { content: counter(page) ' / ' counter(pages) } }"
    "</style><h2>Évaluation</h2><table><tr><td>1 234,5 %</td></tr></table>"
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="2"/>'
    '<text x="1" y="9">0 %</text></svg>'
)


def write(results: Any, folder: Path) -> Path:
    """A long report in two halves merged (writers/pdf_split.py), the same bytes as the two
    processes of writers/parallel.py give; a short one in one piece."""
    from evalsoc.report.writers import pdf_split

    path = folder / FILENAME
    page = print_html(results)
    parts = pdf_split.halves(page)
    if parts is None:
        html_to_pdf(page, str(path))
    else:
        pdf_split.write(parts, str(path))
    return path


def print_html(results: Any) -> str:
    """The report's print form (breakdowns as matrices, A4 rules of report.css)."""
    from evalsoc.report.html import render_report

    return render_report(results, medium="print")


def html_to_pdf(page: str, path: str) -> None:
    """The PDF of the print HTML `page` (a plain function of strings: the parallel writer runs
    it in a worker process, writers/parallel.py)."""
    from weasyprint import HTML

    quiet_logs()
    with fixed_font_dates():
        HTML(string=page, base_url=None, url_fetcher=no_network).write_pdf(path)
