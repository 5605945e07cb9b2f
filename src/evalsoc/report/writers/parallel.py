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

`evalsoc run` starts the first worker before the analysis (`early_pdf_worker`): its interpreter
start, WeasyPrint's import and a first tiny layout (fontconfig, Pango) — 1.3–2.4 s, about one
CPU-second — then overlap the computation instead of delaying the PDF. The second worker is
started with it only when the framework's size makes a long report likely (`split_likely`);
otherwise it is started once the print HTML turns out long enough to be split, or never. The
split itself is decided by the print HTML's length alone (writers/pdf_split.py), so when a
worker starts changes the time the PDF takes, never its bytes."""

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

# A framework of this many indicators, or declaring any of these sections, is likely to give a
# print HTML long enough to be split (pdf_split.SPLIT_FROM characters): its second worker starts
# before the analysis. Calibrated on the shipped and test frameworks (docs/report.md): reports
# of indicators alone run at about 700 characters an indicator beside a 13,000-character frame
# (3 indicators: 14 k, 6: 28 k; 200 indicators × 4 sites: 150 k), while these sections' tables
# and charts make reports of 25 k to 222 k characters.
SPLIT_LIKELY_FROM_INDICATORS = 60
SPLIT_LIKELY_SECTIONS = ("effects", "capabilities", "sroi", "volunteering", "resources", "costs")


def split_likely(framework: Any) -> bool:
    """Whether the framework's report is likely to be laid out in two halves: then both workers
    start before the analysis; else one, and the second only if the report is long after all."""
    if any(getattr(framework, key, None) for key in SPLIT_LIKELY_SECTIONS):
        return True
    return len(framework.all_indicators()) >= SPLIT_LIKELY_FROM_INDICATORS


def _new_worker() -> tuple[Any, Any]:
    """A one-process pool (`spawn`) already importing WeasyPrint and laying out a tiny page."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from evalsoc.report.writers import pdf_file

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return pool, pool.submit(pdf_file.warm_up)


@contextmanager
def early_pdf_worker(formats: tuple[str, ...], framework: Any = None) -> Iterator[None]:
    """Start the PDF workers now, for `write_formats` to use at the end of the run: both when
    the `framework`'s report is likely to be split, else one; stopped on leaving (after an
    error too). Nothing when no PDF is asked for or on one core."""
    if "pdf" not in formats or (os.cpu_count() or 1) < 2 or _EARLY:
        yield
        return
    both = framework is not None and split_likely(framework)
    workers = [_new_worker() for _ in range(WORKERS if both else 1)]
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
    workers = [_new_worker() for _ in range(WORKERS if split_likely(results.framework) else 1)]
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
    """The PDF by `workers` (one or two started; a second is added to the list, for the caller
    to stop, when the report is split and it was not started) while this process writes the
    other formats."""
    from concurrent.futures import ThreadPoolExecutor

    from evalsoc.report.writers import pdf_file, pdf_split, writer

    # The workers have started (or are starting) and import WeasyPrint while this process
    # renders the print HTML.
    page = pdf_file.print_html(results)
    path = str(folder / pdf_file.FILENAME)
    parts = pdf_split.halves(page)
    if parts is not None and len(workers) < WORKERS:
        workers.append(_new_worker())  # a long report after all
    (pool, warm) = workers[0]
    with ThreadPoolExecutor(max_workers=1) as waiter:
        if parts is None:
            progress(f"writing {pdf_file.FILENAME} (in a second process)")
            pdf = pool.submit(pdf_file.html_to_pdf, page, path)
        else:
            progress(f"writing {pdf_file.FILENAME} (in two processes)")
            second_pool = workers[1][0]
            first = pool.submit(pdf_split.lay_out, parts.first)
            second = second_pool.submit(pdf_split.lay_out, parts.second)
            # merged by the first worker as soon as both halves are laid out, while this
            # process may still be writing the other formats
            pdf = waiter.submit(_merge_when_laid_out, pool, parts, first, second, path)
        for name in others:
            progress(f"writing {writer(name).FILENAME}")
            writer(name).write(results, folder)
        for _, warming in workers:
            warming.result()
        pdf.result()  # a worker's exception, if any, is raised here (loud, exit 3)


def _merge_when_laid_out(pool: Any, parts: Any, first: Any, second: Any, path: str) -> None:
    from evalsoc.report.writers import pdf_split

    pool.submit(pdf_split.merge, parts, first.result(), second.result(), path).result()
