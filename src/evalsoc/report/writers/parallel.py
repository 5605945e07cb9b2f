"""Write the chosen formats, the PDF in a second process beside the others (issue 11).

WeasyPrint's layout of a large report is the longest writer (about two thirds of all formats'
time for 200 indicators) and shares nothing with the Word and spreadsheet writers but the print
HTML. The print HTML is rendered here, in this process (where the sections' charts are drawn
once for report.html and report.pdf), and handed as a string to a worker process that only
runs WeasyPrint, while this process writes the other formats: on two cores the run takes the
longest of the two instead of their sum. The worker is started with `spawn` (a fresh
interpreter, nothing inherited from the threads of the analysis) and its file is the same bytes
as a PDF written in this process (tests/report/test_parallel_writers.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Formats cheap enough that a second process would cost more than it saves.
LIGHT = {"json"}


def write_formats(
    results: Any, formats: tuple[str, ...], folder: Path, progress: Callable[[str], None]
) -> None:
    """Each format's file(s) into `folder`; the PDF in a worker process when other costly
    formats are written too and the machine has more than one core."""
    from evalsoc.report.writers import writer

    others = [name for name in formats if name != "pdf"]
    if "pdf" not in formats or not set(others) - LIGHT or (os.cpu_count() or 1) < 2:
        for name in formats:
            progress(f"writing {writer(name).FILENAME}")
            writer(name).write(results, folder)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from evalsoc.report.writers import pdf_file

    progress(f"writing {pdf_file.FILENAME} (in a second process)")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        # The worker starts and imports WeasyPrint while this process renders the print HTML.
        warm = pool.submit(pdf_file.check)
        page = pdf_file.print_html(results)
        pdf = pool.submit(pdf_file.html_to_pdf, page, str(folder / pdf_file.FILENAME))
        for name in others:
            progress(f"writing {writer(name).FILENAME}")
            writer(name).write(results, folder)
        warm.result()
        pdf.result()  # the worker's exception, if any, is raised here (loud, exit 3)
