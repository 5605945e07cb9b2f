"""`evalsoc run` on tests/data/costs/framework.yaml: every cost ratio worked by hand.

Cost: monetary resources of 2025 = 10 000 (sales) + 50 000 (subsidy) = 60 000 € (the 6 000 €
of gifts are reciprocity, left out by default).
- per person accompanied: 60 000 / 40 = 1 500 €; per training (22): 2 727.27 €;
  per exit into work (24 of the proportion): 2 500 €.
- per additional job, from effet_emploi (difference of proportions 24/40 − 12/40 = 0.30):
  Welch SE = √(s₁²/40 + s₀²/40), s² = 40/39 · p(1 − p): s₁² = 40/39 · 0.24 = 0.246154,
  s₀² = 40/39 · 0.21 = 0.215385 → SE = √(0.0061538 + 0.0053846) = √0.0115385 = 0.107417.
  Welch df = 0.0115385² / (0.0061538²/39 + 0.0053846²/39) = 77.655; t(0.975, 77.655) = 1.99095.
  Effect interval 0.30 ± 1.99095 × 0.107417 = [0.086134, 0.513866].
  Additional jobs: 0.30 × 40 = 12; ratio R = 60 000 / 12 = 5 000 €.
  Effect interval inverted: [60 000 / (40 × 0.513866), 60 000 / (40 × 0.086134)]
  = [2 919.05, 17 414.8] €.
  Delta method: SE(R) = R · SE/β = 5 000 × 0.107417 / 0.30 = 1 790.29 €;
  R ± 1.99095 × 1 790.29 = [1 435.6, 8 564.4] €.
- per additional training, from effet_formation (22/40 − 20/40 = 0.05, SE 0.11294, interval
  [−0.1749, 0.2749] contains zero): not estimable, the ratio is unbounded.
References: 12 000 € lies in [2 919, 17 415] → "within"; 1 500 € vs 1 200 € → higher, ×1.25.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "costs"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("costs") / "out"
    done = subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(DATA / "framework.yaml"), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def costs(run_dir: Path) -> dict:
    return json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["costs"]


def test_cost_is_the_monetary_resources(costs: dict) -> None:
    assert costs["cost"] == {
        "amount": 60000.0,
        "origin": "resources",
        "basis": "actual",
        "year": 2025,
        "include_reciprocity": False,
        "source": None,
    }


def test_cost_per_person_output_and_outcome(costs: dict) -> None:
    ratios = costs["ratios"]
    assert (ratios["par_personne"]["denominator"], ratios["par_personne"]["value"]) == (40, 1500)
    assert ratios["par_formation"]["value"] == pytest.approx(60000 / 22)
    assert (ratios["par_emploi"]["denominator"], ratios["par_emploi"]["value"]) == (24, 2500)


def test_cost_per_additional_job_with_both_intervals(costs: dict) -> None:
    ratio = costs["ratios"]["par_emploi_supplementaire"]
    assert ratio["estimable"] is True
    assert ratio["additional_outcomes"] == pytest.approx(12)
    assert ratio["value"] == pytest.approx(5000)
    assert ratio["ci_low"] == pytest.approx(2919.05, abs=0.5)
    assert ratio["ci_high"] == pytest.approx(17414.8, abs=1.0)
    assert ratio["delta_se"] == pytest.approx(1790.29, abs=0.05)
    assert ratio["delta_ci_low"] == pytest.approx(1435.6, abs=0.5)
    assert ratio["delta_ci_high"] == pytest.approx(8564.4, abs=0.5)


def test_interval_containing_zero_is_not_estimable_with_why(costs: dict) -> None:
    ratio = costs["ratios"]["par_formation_supplementaire"]
    assert ratio["estimable"] is False and ratio["value"] is None
    assert ratio["reason"]["code"] == "cost_effect_interval_contains_zero"
    assert ratio["additional_outcomes"] == pytest.approx(2)
    assert ratio["additional_outcomes_low"] < 0 < ratio["additional_outcomes_high"]


def test_references_are_compared_with_the_interval(costs: dict) -> None:
    by_ratio = {r["ratio"]: r for r in costs["references"]}
    job = by_ratio["par_emploi_supplementaire"]
    assert (job["reading"], job["difference"]) == ("within", pytest.approx(-7000))
    person = by_ratio["par_personne"]
    assert (person["reading"], person["relative"]) == ("higher", 1.25)


def test_report_in_french_names_the_method_and_the_reason(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Coût par emploi supplémentaire" in html
    assert "2\u202f919\u00a0€ à 17\u202f415\u00a0€" in html
    assert "contient zéro : le coût par résultat supplémentaire" in html
    assert "Coûts de référence d&#39;une alternative publique comparable" in html
    assert "not estimable" not in html


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("indicator: formations}", "indicator: formation}"), "unknown indicator 'formation'"),
        (("effect: effet_emploi}", "effect: effet_emplois}"), "unknown effect 'effet_emplois'"),
        (("value: 1200,", "value: -1200,"), "value"),
        (("ratio: par_personne,", "ratio: par_tete,"), "ratio 'par_tete' is not a ratio id"),
    ],
)
def test_bad_cost_declarations_are_framework_errors(
    tmp_path: Path, edit: tuple[str, str], message: str
) -> None:
    text = (DATA / "framework.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    (tmp_path / "participants.csv").write_bytes((DATA / "participants.csv").read_bytes())
    framework = tmp_path / "framework.yaml"
    framework.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "evalsoc", "validate", str(framework), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr + done.stdout
    assert "framework.yaml:" in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_spreadsheet_tables_in_the_readers_words(run_dir: Path) -> None:
    from evalsoc.report.tables import costs as costs_table
    from evalsoc.report.tables import resources as resources_table

    data = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    table = costs_table(None, data, "fr")
    assert table is not None and table.code == "sheet_costs"
    job = next(r for r in table.rows if r[0] == "Coût par emploi supplémentaire")
    assert job[1:3] == ["par résultat supplémentaire dû au dispositif", pytest.approx(5000)]
    budget = resources_table(None, data, "en")
    assert budget is not None
    assert budget.rows[0] == [2025, "Sales", "ventes", "Market", None, 10000.0, None]
