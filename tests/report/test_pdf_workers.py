"""How many WeasyPrint workers a run starts (writers/parallel.py): a short report's run starts one,
not the second it would not use; a framework likely to give a long report starts both before
the analysis; a report found long only at the end gets its second worker then. (That the PDF
is the same bytes however its workers started: test_pdf_split.py, test_parallel_writers.py.)"""

from __future__ import annotations

from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from evalsoc.framework.load import load_framework
from evalsoc.pipeline import run_framework
from evalsoc.report.writers import parallel, pdf_split
from evalsoc.report.writers.parallel import early_pdf_worker, split_likely, write_formats

ROOT = Path(__file__).resolve().parents[2]


class _Pool:
    """Stands for a worker process: records what it is given, runs nothing."""

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def submit(self, function: Any, *args: Any) -> Future:
        self.log.append(function.__name__)
        done: Future = Future()
        done.set_result(None)
        return done

    def shutdown(self, **_: Any) -> None:
        self.log.append("shutdown")


@pytest.fixture
def started(monkeypatch) -> list[list[str]]:
    """The calls each worker received, one list per worker started."""
    workers: list[list[str]] = []

    def new_worker() -> tuple[Any, Any]:
        workers.append([])
        pool = _Pool(workers[-1])
        return pool, pool.submit(lambda: None)

    monkeypatch.setattr(parallel, "_new_worker", new_worker)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(pdf_split, "merge", lambda *args: None)
    return workers


def test_a_short_report_starts_one_worker(mini, tmp_path, started):
    framework = load_framework(mini)
    assert not split_likely(framework)  # 2 indicators
    with early_pdf_worker(("json", "pdf"), framework):
        assert len(started) == 1  # before the analysis
        results = run_framework(framework, write=False)
        write_formats(results, ("json", "pdf"), tmp_path, lambda _: None)
    assert started == [["<lambda>", "html_to_pdf", "shutdown"]]


def test_a_report_found_long_at_the_end_gets_its_second_worker_then(
    mini, tmp_path, started, monkeypatch
):
    monkeypatch.setattr(pdf_split, "SPLIT_FROM", 0)  # the short report split after all
    framework = load_framework(mini)
    with early_pdf_worker(("json", "pdf"), framework):
        assert len(started) == 1
        results = run_framework(framework, write=False)
        write_formats(results, ("json", "pdf"), tmp_path, lambda _: None)
    assert len(started) == 2
    assert started[0][:2] == ["<lambda>", "lay_out"] and started[0][-1] == "shutdown"
    assert started[1] == ["<lambda>", "lay_out", "shutdown"]


def test_without_an_early_start_the_writer_starts_one_worker_for_a_short_report(
    mini, tmp_path, started
):
    results = run_framework(mini, write=False)
    write_formats(results, ("html", "pdf"), tmp_path, lambda _: None)
    assert started == [["<lambda>", "html_to_pdf", "shutdown"]]


def test_the_demo_starts_both_workers_before_the_analysis(started):
    framework = load_framework(ROOT / "frameworks" / "chantier-insertion.yaml")
    assert split_likely(framework)  # its print HTML: 222,000 characters, split
    with early_pdf_worker(("pdf",), framework):
        assert len(started) == 2
    assert [log[-1] for log in started] == ["shutdown", "shutdown"]


def test_split_likely_from_the_number_of_indicators(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from bench_report import generated_framework
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    (tmp_path / "many").mkdir()
    (tmp_path / "few").mkdir()
    many = load_framework(generated_framework(tmp_path / "many", indicators=200, rows=10))
    assert split_likely(many)  # its print HTML: 150,000 characters (docs/report.md)
    few = load_framework(generated_framework(tmp_path / "few", indicators=40, rows=10))
    assert not split_likely(few)
