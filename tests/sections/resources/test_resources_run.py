"""`evalsoc run` on budgets declared inline and read from an accounting export.

Inline (tests/data/resources/framework.yaml), 2025, actual amounts:
  market: ventes 30 000; redistribution: aide_poste 110 000 (État) + subv_dept 40 000
  (Département 75 %, État 25 %) = 150 000; reciprocity: dons 5 000 + bénévolat 1 000 h × 15 €
  = 15 000 → 20 000; locaux not valued (in no total).
  Total 200 000: shares 30/200 = 0.15, 150/200 = 0.75, 20/200 = 0.10.
  Monetary 180 000: market 30/180 = 1/6, redistribution 150/180 = 5/6.
  État: 110 000 + 0.25 × 40 000 = 120 000 → 120/200 = 0.60 of all, 120/180 = 2/3 monetary.
  Département: 0.75 × 40 000 = 30 000 → 0.15.
  Forecast: 40 000 + 140 000 + 12 000 (dons has no forecast) = 192 000; État 100 000 + 10 000.
  Gaps: ventes −10 000 (−25 %), aide_poste +10 000 (+10 %), bénévolat +3 000 (+25 %).
Source (budget.csv), actual: 2024 36 000 + 90 000 + 24 000 = 150 000; 2025 30 000 + 110 000
  = 140 000 (fondation has no actual): total −10 000 (−1/15); market −6 000 (−1/6), its share
  36/150 = 0.24 → 30/140 = 3/14, change −0.0257142857 points×100.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "resources"


def run(framework: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def inline(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("resources_inline")
    done = run(DATA / "framework.yaml", out)
    assert done.returncode == 0, done.stderr
    return {
        "results": json.loads((out / "results.json").read_text(encoding="utf-8")),
        "html": (out / "report.html").read_text(encoding="utf-8"),
    }


def _totals(resources: dict, year: int, basis: str) -> dict:
    return next(t for t in resources["by_year"] if (t["year"], t["basis"]) == (year, basis))


def test_shares_of_the_three_poles_by_hand(inline: dict) -> None:
    actual = _totals(inline["results"]["resources"], 2025, "actual")
    assert actual["total"] == 200000
    assert actual["total_monetary"] == 180000
    poles = actual["poles"]
    assert [poles[p]["amount"] for p in ("market", "redistribution", "reciprocity")] == [
        30000,
        150000,
        20000,
    ]
    assert poles["market"]["share"] == pytest.approx(0.15)
    assert poles["redistribution"]["share"] == pytest.approx(0.75)
    assert poles["reciprocity"]["share"] == pytest.approx(0.10)
    assert poles["market"]["share_monetary"] == pytest.approx(1 / 6)
    assert poles["redistribution"]["share_monetary"] == pytest.approx(5 / 6)
    assert poles["reciprocity"]["share_monetary"] is None
    assert actual["unvalued_lines"] == ["locaux"]


def test_dependence_on_the_largest_funder_splits_co_funded_lines(inline: dict) -> None:
    actual = _totals(inline["results"]["resources"], 2025, "actual")
    largest = actual["largest_funder"]
    assert largest["id"] == "etat"
    assert largest["amount"] == pytest.approx(120000)
    assert largest["share"] == pytest.approx(0.60)
    assert largest["share_monetary"] == pytest.approx(2 / 3)
    second = actual["funders"][1]
    assert (second["id"], second["amount"], second["share"]) == ("departement", 30000, 0.15)


def test_forecast_and_gaps_by_line(inline: dict) -> None:
    resources = inline["results"]["resources"]
    forecast = _totals(resources, 2025, "forecast")
    assert forecast["total"] == 192000
    assert forecast["lines_without_amount"] == ["dons"]
    assert forecast["largest_funder"]["amount"] == pytest.approx(110000)
    gaps = {line["id"]: line["amounts"][0] for line in resources["lines"] if line["amounts"]}
    assert (gaps["ventes"]["gap"], gaps["ventes"]["gap_relative"]) == (-10000, -0.25)
    assert gaps["aide_poste"]["gap_relative"] == pytest.approx(0.10)
    assert (gaps["benevolat"]["actual"], gaps["benevolat"]["gap"]) == (15000, 3000)
    assert gaps["dons"]["gap"] is None
    assert resources["changes"] == []


def test_report_shows_the_poles_in_french_with_a_chart(inline: dict) -> None:
    html = inline["html"]
    assert "Les trois pôles de ressources" in html
    assert "Premier financeur en 2025 (réalisé) : État" in html
    assert 'aria-label="Part des trois pôles dans les ressources réalisées, par année"' in html
    assert "Locaux prêtés par la mairie" in html
    assert "Largest funder" not in html


def test_source_over_two_years_gives_changes_in_english(tmp_path: Path) -> None:
    done = run(DATA / "framework_source.yaml", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    resources = results["resources"]
    assert resources["years"] == [2024, 2025]
    assert _totals(resources, 2024, "actual")["total"] == 150000
    actual_2025 = _totals(resources, 2025, "actual")
    assert actual_2025["total"] == 140000
    assert actual_2025["lines_without_amount"] == ["fondation"]
    changes = {c["item"]: c for c in resources["changes"]}
    assert changes["total"]["change"] == -10000
    assert changes["total"]["change_relative"] == pytest.approx(-1 / 15)
    assert changes["market"]["change_relative"] == pytest.approx(-1 / 6)
    assert changes["market"]["share_change"] == pytest.approx(30 / 140 - 36 / 150)
    assert any("amount: Fondation" in w["messages"]["en"] for w in results["warnings"])
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Change from one year to the next (actual)" in html
    assert "Largest funder in 2025 (actual): State" in html
