"""Same inputs and seed → same bytes, in every output format (issue 15 item 5): across runs,
PYTHONHASHSEED values, thread counts (OMP_NUM_THREADS also sizes pyarrow's CSV thread pool)
and the readers of the three file formats.

evalsoc exposes no CSV engine choice: data/read.py parses every CSV with pyarrow (no python
fallback path), XLSX with openpyxl and Parquet with pyarrow; the "engine" test is therefore the
same data through each reader, and the thread test is pyarrow parsing with 1 thread or many."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import MINI_FRAMEWORK, ROOT, write

from evalsoc.pipeline import run_framework

COMPARED = ("results.json", "report.html", "invalid/people.csv")
DATA = (
    "id;site;employed;income;age\n"
    "a1;nord;oui;1200,5;25\n"
    "a2;nord;non;800;31\n"
    "a3;sud;oui;1500,25;45\n"
    "a4;sud;non;;52\n"
    "a5;nord;oui;950;38\n"
    "a6;sud;oui;1100;97\n"
    "a7;nord;non;640,75;29\n"
)


def run_cli(framework: Path, out: Path, env: dict[str, str | None]) -> dict[str, bytes]:
    environment = {k: v for k, v in os.environ.items() if k not in env}
    environment.update({k: v for k, v in env.items() if v is not None})
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out), "-q"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return {name: (out / name).read_bytes() for name in COMPARED if (out / name).exists()}


@pytest.fixture
def framework(tmp_path: Path) -> Path:
    write(tmp_path / "people.csv", DATA)
    text = MINI_FRAMEWORK.replace(
        "privacy: {min_cell: 1}", "privacy: {min_cell: 1}\npolicy: {max_invalid_share: 0.5}"
    ).replace("            mean: income", "            mean: income\n            by: [site]")
    return write(tmp_path / "framework.yaml", text)


ENVIRONMENTS = [
    {"PYTHONHASHSEED": "0", "OMP_NUM_THREADS": None},
    {"PYTHONHASHSEED": "4242", "OMP_NUM_THREADS": "1"},
    {"PYTHONHASHSEED": None, "OMP_NUM_THREADS": "2"},  # unset: a random hash seed
]


def test_three_runs_hash_seeds_and_threads_give_the_same_bytes(framework, tmp_path):
    outputs = [run_cli(framework, tmp_path / f"o{i}", env) for i, env in enumerate(ENVIRONMENTS)]
    assert set(outputs[0]) == set(COMPARED)  # the quarantine file is among them
    assert outputs[1] == outputs[0]
    assert outputs[2] == outputs[0]


def test_csv_xlsx_and_parquet_readers_give_the_same_results(framework, tmp_path):
    """One table through the three readers: the same figures, to the last bit."""
    frame = pd.read_csv(tmp_path / "people.csv", sep=";", decimal=",", dtype={"id": str})
    sections = ("indicators", "criteria", "dimensions", "synthesis")
    figures = {}
    for fmt in ("csv", "xlsx", "parquet"):
        if fmt == "xlsx":
            frame.to_excel(tmp_path / "people.xlsx", index=False)
        elif fmt == "parquet":
            frame.to_parquet(tmp_path / "people.parquet", index=False)
        text = framework.read_text(encoding="utf-8").replace("people.csv", f"people.{fmt}")
        fw = write(tmp_path / f"framework-{fmt}.yaml", text)
        data = run_framework(fw, out_dir=tmp_path / f"out-{fmt}").data
        assert data["data"]["people"]["rows_quarantined"] == 1
        figures[fmt] = json.dumps({key: data.get(key) for key in sections}, sort_keys=True)
    assert figures["xlsx"] == figures["csv"]
    assert figures["parquet"] == figures["csv"]


@pytest.mark.slow
def test_pyarrow_one_thread_or_many_on_a_multi_block_file(tmp_path):
    """A CSV of several pyarrow blocks (1 MiB each) parsed by one thread or by many."""
    import pyarrow

    lines = ["id;site;employed;income;age"]
    for i in range(120_000):
        lines.append(
            f"p{i};{'nord' if i % 3 else 'sud'};{'oui' if i % 5 else 'non'};{i % 997},5;{20 + i % 50}"
        )
    write(tmp_path / "people.csv", "\n".join(lines) + "\n")
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
    assert (tmp_path / "people.csv").stat().st_size > 3 * (1 << 20) // 2
    before = pyarrow.cpu_count()
    try:
        pyarrow.set_cpu_count(1)
        one = run_framework(fw, write=False).to_json()
        pyarrow.set_cpu_count(max(4, before))
        many = run_framework(fw, write=False).to_json()
    finally:
        pyarrow.set_cpu_count(before)
    assert one == many


@pytest.mark.slow
def test_demo_same_bytes_across_hash_seeds_and_threads(tmp_path):
    demo = ROOT / "frameworks" / "chantier-insertion.yaml"
    outputs = [run_cli(demo, tmp_path / f"o{i}", env) for i, env in enumerate(ENVIRONMENTS)]
    assert outputs[0]["results.json"] and outputs[1] == outputs[0] == outputs[2]
