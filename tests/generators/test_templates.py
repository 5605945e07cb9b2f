"""Every `evalsoc init` template: generated reproducibly, valid at once, and (slow) run in French
and English with its figures checked against the generator's recorded truth."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from tests.generators.truth_checks import EFFECTS, INTERVALS, RUBRICS, misses

from evalsoc.results_schema import results_schema
from evalsoc.scaffold import TEMPLATES, scaffold, template_files

NAMES = list(TEMPLATES)


def evalsoc(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", *args], capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_bytes_and_another_seed_other_data(name):
    module = importlib.import_module(f"evalsoc.generators.{TEMPLATES[name].generator}")
    first, again = module.generate(module.SEED), module.generate(module.SEED)
    assert first == again
    other = module.generate(module.SEED + 1)
    assert set(other) == set(first)
    data = [f for f in first if f.endswith(".csv")]
    assert data and all(other[f] != first[f] for f in data)
    truth = json.loads(first["truth.json"])
    assert (
        truth["seed"] == module.SEED and json.loads(other["truth.json"])["seed"] == module.SEED + 1
    )


@pytest.mark.parametrize("name", NAMES)
def test_init_then_validate_passes(name, tmp_path):
    """What `evalsoc validate` does, in process (the CLI's own path is tested by the slow run)."""
    from evalsoc.framework.load import load_framework
    from evalsoc.pipeline import check_columns, enforce_policy, load_data

    framework = scaffold(tmp_path / name, name)
    assert sorted(p.name for p in framework.parent.iterdir()) == sorted(template_files(name))
    fw = load_framework(framework)
    frames, reports, _ = load_data(fw)
    check_columns(fw, frames)
    enforce_policy(fw, reports)
    truth = json.loads((framework.parent / "truth.json").read_text(encoding="utf-8"))
    quarantined = sum(r.rows_quarantined for r in reports.values())
    assert quarantined == truth.get("rows_invalid", 0)  # only the aci demo has invalid rows
    if name == "aci":
        assert reports["participants"].rows_used == truth["rows_valid"] == 1199


@pytest.mark.parametrize("name", NAMES)
def test_every_template_is_checked_against_its_truth(name):
    """Each template has at least one figure checked against truth.json (see truth_checks)."""
    assert INTERVALS[name] or EFFECTS.get(name)
    assert name in RUBRICS


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_runs_at_once_in_both_languages_and_recovers_its_truth(name, tmp_path):
    target = tmp_path / name
    assert evalsoc("init", "--template", name, str(target)).returncode == 0
    out_fr, out_en = tmp_path / "fr", tmp_path / "en"
    run = evalsoc("run", str(target / "framework.yaml"), "--out", str(out_fr))
    assert run.returncode == 0, run.stderr
    results = json.loads((out_fr / "results.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(results_schema()).validate(results)
    assert results["data"], "no data read"
    truth = json.loads((target / "truth.json").read_text(encoding="utf-8"))
    assert misses(name, results, truth) == []
    html_fr = (out_fr / "report.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html_fr
    english = evalsoc(
        "run", str(target / "framework.yaml"), "--lang", "en", "--format", "html",
        "--out", str(out_en),
    )  # fmt: skip
    assert english.returncode == 0, english.stderr
    html_en = (out_en / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html_en


@pytest.mark.slow
def test_tzcld_sroi_at_the_true_effect_lies_in_its_monte_carlo_interval(tmp_path):
    """The cost comparison: avoided cost of long-term unemployment per euro of the EBE's budget.

    At the true effect (+0.35 on 420 people) the ratio is, with the framework's proxy (15,000 €),
    attribution 0.10, displacement 0.05, one year discounted at 3.5 % and a budget of 3.25 M€:
    0.35 × 420 × 15000 × 0.90 × 0.95 / 1.035 / 3 250 000 = 0.5605 (worked by hand).
    """
    target = tmp_path / "tzcld"
    assert evalsoc("init", "--template", "tzcld", str(target)).returncode == 0
    out = tmp_path / "out"
    assert (
        evalsoc(
            "run", str(target / "framework.yaml"), "--out", str(out), "--format", "json"
        ).returncode
        == 0
    )
    sroi = json.loads((out / "results.json").read_text(encoding="utf-8"))["sroi"]
    at_truth = 0.35 * 420 * 15000 * 0.90 * 0.95 / 1.035 / 3_250_000
    assert at_truth == pytest.approx(0.5605, abs=1e-4)
    low, high = sroi["monte_carlo"]["ci95"]
    assert low <= at_truth <= high
    # the point ratio is the same formula at the estimated effect
    effect = json.loads((out / "results.json").read_text(encoding="utf-8"))["effects"][
        "effet_emploi"
    ]
    assert sroi["ratio"] == pytest.approx(at_truth * effect["estimate"] / 0.35, rel=1e-9)


def test_aci_template_holds_the_demo_data():
    """With its default seed the template writes the demo's datasets/aci/ byte for byte."""
    demo = Path(__file__).resolve().parents[2] / "datasets" / "aci"
    files = template_files("aci")
    names = ("participants.csv", "jugements.csv", "benevolat.csv", "benevoles.csv", "truth.json")
    for name in names:
        assert files[name] == (demo / name).read_bytes(), name


def test_each_framework_block_is_shown_in_a_template():
    """Issue 14: every part of a framework appears in at least one template (read from the
    templates' YAML, so that removing a block from a template fails here)."""
    import yaml

    def blocks(name: str) -> set[str]:
        fw = yaml.safe_load(template_files(name)["framework.yaml"])
        found = {key for key in ("resources", "costs", "valuation", "sroi", "effects") if key in fw}
        if fw.get("volunteering", {}).get("people"):
            found.add("volunteering.people")
        if fw.get("volunteering", {}).get("planned"):
            found.add("volunteering.planned")
        for dim in fw["dimensions"]:
            for item in [dim, *dim["criteria"]]:
                if "proposed_by" in item or "validated" in item:
                    found.add("co_construction")
            for crit in dim["criteria"]:
                if any("references" in ind for ind in crit.get("indicators", [])):
                    found.add("references")
        return found

    shown = {name: blocks(name) for name in NAMES}
    assert {"resources", "costs", "volunteering.people", "volunteering.planned"} <= shown["aci"]
    assert {"resources", "costs"} <= shown["tzcld"]
    assert {"co_construction", "valuation", "references"} <= shown["centre-social"]
    assert "resources" in shown["tiers-lieu"]
    assert "co_construction" in shown["ess-utilite-sociale"]
