"""Bad budget declarations are framework errors (exit 2) naming the line and what to do."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "resources"

HEAD = """evalsoc: 1
id: bad-resources
title: t
period: {start: 2025-01-01, end: 2025-12-31}
resources:
  funders: [{id: etat}]
  lines:
"""

CASES = {
    "shares_over_100": (
        "    - {id: s, nature: redistribution, funders: {etat: 0.8, ville: 0.3}, actual: 1}\n",
        "add up to 110%, over 100 %",
    ),
    "funder_missing": (
        "    - {id: s, nature: redistribution, funder: region, actual: 1}\n",
        "funder 'region' is not in the `funders` list (etat)",
    ),
    "negative_amount": (
        "    - {id: v, nature: market, kind: sales, actual: -5}\n",
        "a negative `actual` amount is not allowed",
    ),
    "unknown_nature": (
        "    - {id: v, nature: donation, actual: 5}\n",
        "nature",
    ),
    "kind_of_another_nature": (
        "    - {id: v, nature: market, kind: gift, actual: 5}\n",
        "kind 'gift' is not a kind of market resource",
    ),
    "shares_under_100": (
        "    - {id: s, nature: redistribution, funders: {etat: 0.5}, actual: 1}\n",
        "add up to 50%; they must add up to 100 %",
    ),
}


def _run(framework: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_line_is_a_framework_error(tmp_path: Path, case: str) -> None:
    line, message = CASES[case]
    framework = tmp_path / "framework.yaml"
    framework.write_text(HEAD + line, encoding="utf-8")
    done = _run(framework, tmp_path / "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "framework.yaml" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("x,X,donation,other,,2025,1,1", "data row 7: line 'x': nature 'donation' is not one of"),
        ("x,X,redistribution,subsidy,region,2025,1,1", "data row 7: line 'x': funder 'region'"),
    ],
)
def test_bad_row_of_an_accounting_export_names_the_row(
    tmp_path: Path, row: str, message: str
) -> None:
    for name in ("framework_source.yaml", "budget.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    with (tmp_path / "budget.csv").open("a", encoding="utf-8") as handle:
        handle.write(row + "\n")
    done = _run(tmp_path / "framework_source.yaml", tmp_path / "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_budget_source_is_named_with_its_line(tmp_path: Path) -> None:
    for name in ("framework_source.yaml", "budget.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    framework = tmp_path / "framework_source.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("  data: budget\n", "  data: budgett\n"),
        encoding="utf-8",
    )
    done = _run(framework, tmp_path / "out")
    assert done.returncode == 2, done.stdout + done.stderr
    assert (
        "framework_source.yaml:21:9: resources.data: unknown data source 'budgett'; "
        "did you mean 'budget'?" in done.stderr
    )
