"""Write the chosen formats, the PDF in a second process beside the others (issue 11).

WeasyPrint's layout of a large report is the longest writer (about two thirds of all formats'
time for 200 indicators) and shares nothing with the Word and spreadsheet writers but the print
HTML. The print HTML is rendered here, in this process (where the sections' charts are drawn
once for report.html and report.pdf), and handed as a string to a worker process that only
runs WeasyPrint, while this process writes the other formats: on two cores the run takes the
longest of the two instead of their sum. The worker is started with `spawn` (a fresh
interpreter, nothing inherited from the threads of the analysis) and its file is the same bytes
as a PDF written in this process (tests/report/test_parallel_writers.py).

A long report is laid out in two halves by two such workers and merged by the first
(writers/pdf_split.py): the PDF then takes about half of one layout on two cores.

`evalsoc run` starts both workers before the analysis (`early_pdf_worker`): their interpreter
start, WeasyPrint's import and a first tiny layout (fontconfig, Pango) — 1.3–2.4 s — then
overlap the computation instead of delaying the PDF."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Formats cheap enough that a second process would cost more than it saves.
LIGHT = {"json"}

# The workers started by `early_pdf_worker` for the run under way: "workers", a list of
# (one-process pool, warm-up future).
_EARLY: dict[str, Any] = {}
WORKERS = 2  # the two halves of a long PDF (the first worker also merges them)


def _new_worker() -> tuple[Any, Any]:
    """A one-process pool (`spawn`) already importing WeasyPrint and laying out a tiny page."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from evalsoc.report.writers import pdf_file

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return pool, pool.submit(pdf_file.warm_up)


@contextmanager
def early_pdf_worker(formats: tuple[str, ...]) -> Iterator[None]:
    """Start the PDF workers now, for `write_formats` to use at the end of the run; stopped on
    leaving (after an error too). Nothing when no PDF is asked for or on one core."""
    if "pdf" not in formats or (os.cpu_count() or 1) < 2 or _EARLY:
        yield
        return
    workers = [_new_worker() for _ in range(WORKERS)]
    _EARLY.update(workers=workers)
    try:
        yield
    finally:
        _EARLY.clear()
        for pool, _ in workers:
            pool.shutdown(wait=True, cancel_futures=True)


def write_formats(
    results: Any, formats: tuple[str, ...], folder: Path, progress: Callable[[str], None]
) -> None:
    """Each format's file(s) into `folder`; the PDF in a worker process when one was started
    early for this run, or when other costly formats are written too and the machine has more
    than one core."""
    from evalsoc.report.writers import writer

    others = [name for name in formats if name != "pdf"]
    early = "pdf" in formats and bool(_EARLY)
    if not early and ("pdf" not in formats or not set(others) - LIGHT or (os.cpu_count() or 1) < 2):
        for name in formats:
            progress(f"writing {writer(name).FILENAME}")
            writer(name).write(results, folder)
        return
    if early:
        _pdf_beside_others(results, others, folder, progress, _EARLY["workers"])
        return
    workers = [_new_worker() for _ in range(WORKERS)]
    try:
        _pdf_beside_others(results, others, folder, progress, workers)
    finally:
        for pool, _ in workers:
            pool.shutdown(wait=True, cancel_futures=True)


def _pdf_beside_others(
    results: Any,
    others: list[str],
    folder: Path,
    progress: Callable[[str], None],
    workers: list[tuple[Any, Any]],
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from evalsoc.report.writers import pdf_file, pdf_split, writer

    # The workers have started (or are starting) and import WeasyPrint while this process
    # renders the print HTML.
    page = pdf_file.print_html(results)
    path = str(folder / pdf_file.FILENAME)
    parts = pdf_split.halves(page)
    (pool, warm), (second_pool, second_warm) = workers
    with ThreadPoolExecutor(max_workers=1) as waiter:
        if parts is None:
            progress(f"writing {pdf_file.FILENAME} (in a second process)")
            pdf = pool.submit(pdf_file.html_to_pdf, page, path)
        else:
            progress(f"writing {pdf_file.FILENAME} (in two processes)")
            first = pool.submit(pdf_split.lay_out, parts.first)
            second = second_pool.submit(pdf_split.lay_out, parts.second)
            # merged by the first worker as soon as both halves are laid out, while this
            # process may still be writing the other formats
            pdf = waiter.submit(_merge_when_laid_out, pool, parts, first, second, path)
        for name in others:
            progress(f"writing {writer(name).FILENAME}")
            writer(name).write(results, folder)
        warm.result()
        second_warm.result()
        pdf.result()  # a worker's exception, if any, is raised here (loud, exit 3)


def _merge_when_laid_out(pool: Any, parts: Any, first: Any, second: Any, path: str) -> None:
    from evalsoc.report.writers import pdf_split

    pool.submit(pdf_split.merge, parts, first.result(), second.result(), path).result()
