"""Shipped examples run once per session and language, with every output format, shared by the
browser, PDF, spreadsheet and Word tests (a run of the demo takes tens of seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest
from examples_harness import ROOT, ExampleRuns


@pytest.fixture(scope="session")
def example_runs(tmp_path_factory) -> ExampleRuns:
    return ExampleRuns(tmp_path_factory.mktemp("examples"))


@pytest.fixture(scope="session")
def demo_fr(example_runs) -> Path:
    return example_runs(ROOT / "frameworks" / "chantier-insertion.yaml", "fr")


@pytest.fixture(scope="session")
def demo_en(example_runs) -> Path:
    return example_runs(ROOT / "frameworks" / "chantier-insertion.yaml", "en")
