"""`evalsoc run` on a small centre-social framework (tests/data/utility/, made by make_data.py):
rubric judgements from four stakeholder groups, coded interviews, a quantitative survey,
a criterion without evidence, weights, and volunteering valued at replacement cost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pipeline = pytest.importorskip("evalsoc.pipeline")

DATA = Path(__file__).resolve().parents[1] / "data" / "utility"
FRAMEWORK = DATA / "centre-social.yaml"


def evalsoc_run(framework: Path, out: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("utility")
    results = evalsoc_run(FRAMEWORK, out)
    return results, (out / "report.html").read_text(encoding="utf-8")


def test_rubric_results_match_the_data(run) -> None:
    results, _ = run
    judgements = pd.read_csv(DATA / "jugements.csv")
    iso = judgements[judgements.criterion == "isolement"]
    rated = iso[iso.level != "preuves_insuffisantes"]
    res = results["indicators"]["jugement_isolement"]
    assert res["kind"] == "rubric"
    assert res["n_rated"] == len(rated) and iso.rater.nunique() == len(rated) + 1
    # one rater said the evidence is insufficient: with 35 raters and 34 rated judgements
    # published, that one person would be counted; the number of raters is withheld
    assert res["n_raters"] is None and res["n_insufficient"] is None
    assert res["counts"]["satisfaisant"] == int((rated.level == "satisfaisant").sum())
    # 28 of 34 rated at or above the threshold: the share with its n would count the 6 below,
    # fewer than min_cell, so it is withheld like a proportion's (code small_trait)
    assert rated.level.isin(["satisfaisant", "remarquable"]).sum() == 28
    assert res["share_at_or_above"] is None and res["value"] is None
    assert res["value_reason"]["code"] == "small_trait"
    assert res["median_level"] == "satisfaisant"
    # Groups of fewer than 10 raters (bénévoles 6, partenaires 5) are suppressed.
    assert res["by_role"]["benevoles"]["suppressed"] and res["by_role"]["partenaires"]["suppressed"]
    # habitants: 14 judgements, 13 rated: the two would count the one "insufficient" judgement,
    # so their number (and the people served's, the same judgements) is withheld
    assert res["by_role"]["habitants"]["n_rated"] == 13
    assert res["by_role"]["habitants"]["n_raters"] is None
    assert res["people_served"]["suppressed"] and res["people_served"]["n_judgements"] is None
    agr = res["agreement"]
    assert agr["scope"] == "source" and agr["n_units"] == 3 and agr["alpha"] is not None
    assert all("rater" not in q for q in res["evidence"])


def test_verdicts_profile_and_weights(run) -> None:
    results, _ = run
    crit = results["criteria"]
    # isolement: rubric median satisfaisant + 3.12 outings vs target 2.5 (ratio 1.25,
    # remarquable) → lower median satisfaisant; innovation: rubric median fragile.
    assert crit["isolement"]["verdict"] == "satisfaisant"
    assert crit["participation"]["verdict"] == "satisfaisant"
    assert crit["innovation"]["verdict"] == "fragile"
    assert crit["dynamique_locale"]["verdict"] == "preuves_insuffisantes"
    assert crit["isolement"]["rationale"]["en"].startswith("Verdict: satisfactory")
    dims = results["dimensions"]
    assert [p["verdict"] for p in dims["developpement_local"]["profile"]] == [
        "fragile",
        "preuves_insuffisantes",
    ]
    assert dims["lien_social"]["score"] == pytest.approx(3.0)
    assert dims["developpement_local"]["score"] == pytest.approx(2.0)
    assert dims["lien_social"]["rank_stability"] == 1.0


def test_volunteering_results(run) -> None:
    results, _ = run
    vol = results["volunteering"]
    records = pd.read_csv(DATA / "benevolat.csv")
    rates = {"gouvernance": 25.0, "activite": 15.0, "ponctuel": 12.0}
    expected = float((records.hours * records.category.map(rates)).sum())
    assert vol["method"] == "replacement_cost"
    assert vol["total_value"] == pytest.approx(expected)
    assert vol["total_hours"] == pytest.approx(records.hours.sum())
    assert vol["total_persons"] == records.person.nunique()
    cats = {c["category"]: c for c in vol["by_category"]}
    # ponctuel has 4 volunteers (< 10): hidden, with gouvernance to protect it. The rates differ
    # (12 and 25 €/h), so total hours and total value minus activite would give both back: activite
    # is hidden too. (This test used to assert activite's hours were shown: that was the leak.)
    assert cats["ponctuel"]["suppressed"] and cats["gouvernance"]["suppressed"]
    assert cats["activite"]["suppressed"] and cats["activite"]["hours"] is None
    assert vol["unvalued_hours"] == 0 and not vol["unvalued_hours_suppressed"]


def test_themes_counts_below_min_cell_are_not_published(run) -> None:
    results, html = run
    coded = pd.read_csv(DATA / "codage.csv")
    sources = coded.groupby("code").source.nunique()
    small = sorted(sources[sources < 10].index)  # confiance and pouvoir_agir: 8 sources each
    res = results["indicators"]["themes_participation"]
    assert small and set(small) <= set(res["suppressed_codes"])
    assert not set(small) & set(res["frequency"]) and not set(small) & set(
        res["cooccurrence"]["codes"]
    )
    assert all(e["code"] not in small for e in res["excerpts"])
    for cell in res["by_role"].values():
        assert all(n is None or n == 0 or n >= 10 for n in (cell.get("codes") or {}).values())
    assert 'Pouvoir d&#39;agir</td><td class="suppressed"' in html


def test_report_keeps_quotes_private(run) -> None:
    _, html = run
    assert "alert(" not in html and "<script" not in html
    assert "Mme D." not in html and "habitants_01" not in html
    assert "Dynamique locale" in html and "Preuves insuffisantes" in html
    assert "coût de remplacement" in html


def test_published_quotes_are_escaped_and_run_is_reproducible(tmp_path: Path) -> None:
    text = FRAMEWORK.read_text(encoding="utf-8").replace(
        "report: {publish_quotes: false}", "report: {publish_quotes: true}"
    )
    framework = tmp_path / "centre-social.yaml"
    framework.write_text(text, encoding="utf-8")
    for name in ("jugements.csv", "codage.csv", "foyers.csv", "benevolat.csv"):
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    # In-process runs (the CLI is exercised by the fixture above).
    pipeline.run_framework(str(framework), out_dir=tmp_path / "a")
    html = (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Mme D. ne sort plus seule" in html
    assert "<script>alert" not in html
    pipeline.run_framework(str(framework), out_dir=tmp_path / "b")
    first, second = (
        json.loads((tmp_path / d / "results.json").read_text(encoding="utf-8")) for d in ("a", "b")
    )
    for key in ("indicators", "criteria", "dimensions", "volunteering"):
        assert first[key] == second[key]
