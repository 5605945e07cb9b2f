"""`evalsoc run` on tests/data/volunteering/framework.yaml: volunteering beyond money by hand.

registre.csv: 32 volunteers; v31 and v32 left in 2024, so 30 are active in 2025.
- served: v01–v12 → 12 of 30 = 0.40 (both 12 and 18 ≥ min_cell 5: published).
- tenure at 2025-12-31: v01–v05 from 2020-01-01 to their departure 2025-06-30 (2 007 days,
  5.49 years), v06–v10 from 2020-01-01 (6.00 years), v11–v20 from 2024-06-30 (549 days =
  1.50308 years), v21–v30 from 2025-03-01 (305 days, 0.835 years). Sorted, the 15th and 16th of
  30 are both 1.50308: median 549 / 365.25; a year or more: 20 of 30.
- turnover: present at 2025-01-01: v01–v20 (20); departures in 2025: v01–v05 (5) → 5 / 20
  = 0.25; arrivals: v21–v30 (10).
- roles (register's main role; hours records have none): administrateur v01–v07 (7 people,
  7 × (10 + 20) = 210 h), tuteur v08–v20 (13, 130 h), ponctuel v21–v28 (8, 80 h), tresorier
  v29–v30 (2, 20 h). trésorier < 5: hidden and, being found only in the data, unnamed ("other
  roles"); the total of 30 volunteers would give it back, so the next smallest, administrateur
  (7), is hidden too. Planned: tuteur 15 people / 200 h → gaps −2 and −70; ponctuel 5 / 50 h →
  +3 and +30; administrateur 9 / 300 h (real hidden).
- the indicator `part_benevoles_accompagnes` (proportion over the register, active rows) is
  the same 0.40 and, with its target 0.30, supports its criterion's verdict.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "volunteering"


def run(framework: Path, out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out), *extra],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reciprocity") / "out"
    done = run(DATA / "framework.yaml", out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def results(run_dir: Path) -> dict:
    return json.loads((run_dir / "results.json").read_text(encoding="utf-8"))


def test_who_gives_tenure_and_turnover_by_hand(results: dict) -> None:
    rec = results["volunteering"]["reciprocity"]
    assert rec["volunteers"] == 30
    assert rec["served"] == {
        "count": 12,
        "share": 0.4,
        "n": 30,
        "suppressed": False,
        "reason": None,
    }
    assert rec["tenure"]["median_years"] == pytest.approx(549 / 365.25)
    assert rec["tenure"]["share_one_year_or_more"] == pytest.approx(20 / 30)
    turnover = rec["turnover"]
    assert (turnover["at_start"], turnover["departures"], turnover["arrivals"]) == (20, 5, 10)
    assert turnover["rate"] == 0.25


def test_prescribed_against_real_roles_with_small_cells_hidden(results: dict) -> None:
    roles = {r["role"]: r for r in results["volunteering"]["reciprocity"]["roles"]}
    assert (roles["tuteur"]["persons"], roles["tuteur"]["hours"]) == (13, 130)
    assert (roles["tuteur"]["gap_persons"], roles["tuteur"]["gap_hours"]) == (-2, -70)
    assert (roles["ponctuel"]["gap_persons"], roles["ponctuel"]["gap_hours"]) == (3, 30)
    admin = roles["administrateur"]
    assert admin["suppressed"] and admin["persons"] is None and admin["hours"] is None
    assert admin["reason"]["code"] == "complement"
    assert (admin["planned_persons"], admin["planned_hours"]) == (9, 300)
    assert "tresorier" not in roles
    assert roles[None]["suppressed"] and roles[None]["reason"]["code"] == "small_cell"
    text = json.dumps(results["volunteering"]["reciprocity"])
    assert "tresorier" not in text


def test_the_share_served_is_an_indicator_usable_in_a_criterion(results: dict) -> None:
    indicator = results["indicators"]["part_benevoles_accompagnes"]
    assert (indicator["value"], indicator["n"], indicator["status"]) == (0.4, 30, "met")
    assert results["criteria"]["pouvoir_agir"]["verdict"] == "remarquable"


def test_report_in_french_and_english(run_dir: Path, tmp_path: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Part des bénévoles qui sont ou ont été des personnes accompagnées : 40,0\u00a0%" in html
    assert "Rotation : 5 départs pendant la période pour 20 bénévoles" in html
    assert "Turnover" not in html
    done = run(DATA / "framework.yaml", tmp_path / "en", "--lang", "en")
    assert done.returncode == 0, done.stderr
    english = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert "Share of volunteers who are or were people served: 40.0%" in english
    assert "Mentors" in english and "Rotation :" not in english


def test_few_departures_hide_the_whole_turnover(tmp_path: Path) -> None:
    """Only v01–v03 leave: 3 departures < 5, so no figure of the turnover is published (the
    volunteers present at start and the arrivals would give the 3 back with the total)."""
    for name in ("framework.yaml", "heures.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    lines = (DATA / "registre.csv").read_text(encoding="utf-8").splitlines()
    lines = [
        line.replace(",2025-06-30", ",") if line.startswith(("v04", "v05")) else line
        for line in lines
    ]
    (tmp_path / "registre.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run(tmp_path / "framework.yaml", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    rec = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    turnover = rec["volunteering"]["reciprocity"]["turnover"]
    assert turnover["suppressed"] is True
    assert [turnover[k] for k in ("at_start", "departures", "arrivals", "rate")] == [None] * 4
