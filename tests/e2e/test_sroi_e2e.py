"""`evalsoc run` on a framework whose SROI reads an indicator and the volunteering section.

tests/data/sroi/participants.csv: 20 people in the programme, 12 of them employed, so the
indicator `emplois` counts 12. Volunteering: 100 h × 25 € + 200 h × 15 € = 5 500 €.
Inputs: 20 000 € + 5 500 € = 25 500 €.
Outcome `emploi`: 12 × 3 000 € = 36 000 € gross; × (1 − 0.25) × (1 − 0) × (1 − 0.30) = 18 900 €
a year; drop-off 20 %, 2 years: 18 900 then 15 120; discounted at 3.5 % from year 1:
PV = 18 900 / 1.035 + 15 120 / 1.035² = 32 375.55 €, ratio 1.2696.
Payback: year 1 brings 18 260.87 €, year 2 14 114.69 €: 12 + 12 × (25 500 − 18 260.87) / 14 114.69
= 18.15 months.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("evalsoc.pipeline")

DATA = Path(__file__).resolve().parents[1] / "data" / "sroi"
PV = 18900 / 1.035 + 15120 / 1.035**2
INPUTS = 25500.0


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from evalsoc.pipeline import run_framework

    out = tmp_path_factory.mktemp("sroi_out")
    run_framework(str(DATA / "framework.yaml"), out_dir=out)
    return out


def test_results_json_has_the_hand_worked_numbers(run_dir: Path) -> None:
    results = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))
    assert results["indicators"]["emplois"]["value"] == 12
    sroi = results["sroi"]
    assert sroi["estimable"] is True
    assert sroi["inputs_total"] == pytest.approx(INPUTS)
    assert sroi["present_value"] == pytest.approx(PV, rel=1e-12)
    assert sroi["present_value"] == pytest.approx(32375.55, abs=0.01)
    assert sroi["npv"] == pytest.approx(PV - INPUTS, rel=1e-12)
    assert sroi["ratio"] == pytest.approx(PV / INPUTS, rel=1e-12)
    assert sroi["net_ratio"] == pytest.approx(PV / INPUTS - 1, rel=1e-12)
    assert sroi["payback_months"] == pytest.approx(
        12 + 12 * (INPUTS - 18900 / 1.035) / (15120 / 1.035**2)
    )
    emploi = sroi["by_outcome"]["emploi"]
    assert emploi["quantity"] == 12
    assert emploi["quantity_source"] == {
        "kind": "indicator",
        "ref": "emplois",
        "field": "value",
        "times": None,
    }
    assert [y["net"] for y in emploi["by_year"]] == pytest.approx([18900, 15120])
    assert [i["kind"] for i in sroi["inputs"]] == ["money", "volunteering"]
    assert sroi["inputs"][1]["amount"] == pytest.approx(5500)
    assert sroi["non_monetised"][0]["id"] == "lien"
    assert sroi["non_monetised"][0]["criteria"] == ["lien_social"]
    assert sroi["non_monetised_share"]["by_count"]["share"] == pytest.approx(0.5)
    mc = sroi["monte_carlo"]
    assert mc["draws"] == 20000 and mc["seed"] == 5
    assert mc["ci90"][0] < sroi["ratio"] < mc["ci90"][1]
    assert 0 < mc["p_ratio_above_1"] < 1
    for row in sroi["sensitivity"]["switching_values"]:
        assert row["switching_value"] is not None or row["reason"]


def test_same_seed_gives_the_same_bytes(run_dir: Path, tmp_path: Path) -> None:
    from evalsoc.pipeline import run_framework

    run_framework(str(DATA / "framework.yaml"), out_dir=tmp_path)
    first = json.loads((run_dir / "results.json").read_text(encoding="utf-8"))["sroi"]
    second = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["sroi"]
    assert first == second


def test_report_states_the_ratio_as_an_estimate(run_dir: Path) -> None:
    html = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Pour 1\u00a0€ investi, entre" in html
    assert "de valeur sociale estimée (IC 90 %)" in html
    assert "aucun proxy financier crédible pour le lien social" in html
    assert "coût annuel évité (valeur de test)" in html and "personne·an" in html


def test_the_english_report_shows_the_english_reason_unit_and_source(tmp_path: Path) -> None:
    """`reason`, a proxy's `unit` and `source`, a rate's `source` accept {fr, en} (issue 11)."""
    from evalsoc.pipeline import run_framework

    run_framework(str(DATA / "framework.yaml"), out_dir=tmp_path, lang="en")
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "no credible financial proxy for social ties" in html
    assert "annual cost avoided (test value)" in html and "person-year" in html
    assert "gross pay of equivalent jobs (test)" in html
    for french in ("aucun proxy financier", "coût annuel évité", "personne·an", "salaires chargés"):
        assert french not in html, french
    sroi = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["sroi"]
    displacement = sroi["by_outcome"]["emploi"]["parameters"]["displacement"]
    assert displacement["reason"] == {
        "fr": "emplois non pris à d'autres demandeurs",
        "en": "jobs not taken from other jobseekers",
    }


def test_unknown_indicator_reference_fails_with_exit_code_2(tmp_path: Path) -> None:
    shutil.copy(DATA / "participants.csv", tmp_path / "participants.csv")
    text = (DATA / "framework.yaml").read_text(encoding="utf-8")
    bad = text.replace("quantity: {indicator: emplois}", "quantity: {indicator: emploi}")
    assert bad != text
    (tmp_path / "framework.yaml").write_text(bad, encoding="utf-8")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "run",
            str(tmp_path / "framework.yaml"),
            "--out",
            str(tmp_path / "out"),
            "--lang",
            "en",  # the framework is French: so would its errors be
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    message = proc.stderr + proc.stdout
    assert "sroi.outcomes[0].quantity" in message
    assert "indicator 'emploi'" in message and "did you mean 'emplois'" in message
