"""The PDF written in a worker process beside the other formats (writers/parallel.py) is the
same bytes as the PDF written in this process, and so is every other format."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalsoc.pipeline import run_framework
from evalsoc.report.writers import WRITERS, writer
from evalsoc.report.writers.parallel import write_formats


@pytest.mark.slow  # two PDFs and two Word files: ~15 CPU-s
def test_parallel_writing_gives_the_bytes_of_serial_writing(mini, tmp_path, monkeypatch):
    pytest.importorskip("weasyprint")
    pytest.importorskip("docx")
    monkeypatch.setattr("os.cpu_count", lambda: 2)  # the worker path, whatever the machine
    results = run_framework(mini, write=False)
    together, alone = tmp_path / "together", tmp_path / "alone"
    together.mkdir()
    alone.mkdir()
    said: list[str] = []
    write_formats(results, tuple(WRITERS), together, said.append)
    assert "writing report.pdf (in a second process)" in said
    for name in WRITERS:
        writer(name).write(results, alone)
    names = sorted(p.name for p in alone.iterdir())
    assert names == sorted(p.name for p in together.iterdir())
    assert len(names) == len(WRITERS)
    for filename in names:
        assert (together / filename).read_bytes() == (alone / filename).read_bytes(), filename


@pytest.mark.slow
def test_pdf_alone_or_with_json_only_stays_in_this_process(mini, tmp_path):
    pytest.importorskip("weasyprint")
    results = run_framework(mini, write=False)
    said: list[str] = []
    write_formats(results, ("json", "pdf"), tmp_path, said.append)
    assert said == ["writing results.json", "writing report.pdf"]
    assert Path(tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_worker_started_before_the_analysis_writes_the_same_pdf(mini, tmp_path):
    """`evalsoc run` starts the PDF worker before computing (early_pdf_worker): the PDF it
    writes, alone or with JSON only, is the bytes of the PDF written in this process."""
    pytest.importorskip("weasyprint")
    from evalsoc.report.writers.parallel import early_pdf_worker

    early, alone = tmp_path / "early", tmp_path / "alone"
    early.mkdir()
    alone.mkdir()
    said: list[str] = []
    with early_pdf_worker(("json", "pdf")):
        results = run_framework(mini, write=False)
        write_formats(results, ("json", "pdf"), early, said.append)
    assert said == ["writing report.pdf (in a second process)", "writing results.json"]
    writer("pdf").write(results, alone)
    assert (early / "report.pdf").read_bytes() == (alone / "report.pdf").read_bytes()
