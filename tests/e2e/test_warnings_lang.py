"""Warnings speak the run's language: `message` in French or English (framework `language` or
`--lang`), `messages` with both, and the report lists them in its own language."""

from __future__ import annotations

import html
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evalsoc.sections.context import RunContext

ROOT = Path(__file__).resolve().parents[2]
UTILITY = ROOT / "tests" / "data" / "utility" / "centre-social.yaml"
DEMO = ROOT / "frameworks" / "chantier-insertion.yaml"


def run_cli(framework: Path, out: Path, lang: str) -> tuple[dict, str]:
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out)]
        + ["--lang", lang],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return results, html.unescape((out / "report.html").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[tuple[str, str], tuple[dict, str]]:
    out = {}
    for name, framework in (("utility", UTILITY), ("demo", DEMO)):
        for lang in ("fr", "en"):
            out[name, lang] = run_cli(framework, tmp_path_factory.mktemp(f"{name}-{lang}"), lang)
    return out


@pytest.mark.parametrize("name", ["utility", "demo"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_warnings_are_in_the_run_language_with_both_kept(runs, name, lang) -> None:
    results, report = runs[name, lang]
    assert results["framework"]["language"] == lang
    warnings = results["warnings"]
    assert warnings
    for w in warnings:
        assert set(w) == {"section", "id", "message", "messages"}, w
        assert set(w["messages"]) == {"fr", "en"} and all(w["messages"].values())
        assert w["message"] == w["messages"][lang]
        assert w["messages"]["fr"] != w["messages"]["en"]
        assert w["message"] in report
        other = "en" if lang == "fr" else "fr"
        assert w["messages"][other] not in report
    # the same warnings, in the same order, whichever the language
    other_run = runs[name, "en" if lang == "fr" else "fr"][0]["warnings"]
    assert [(w["section"], w["id"], w["messages"]) for w in warnings] == [
        (w["section"], w["id"], w["messages"]) for w in other_run
    ]


def test_known_warnings_read_in_french_and_english(runs) -> None:
    fr = {(w["section"], w["id"]): w["message"] for w in runs["utility", "fr"][0]["warnings"]}
    en = {(w["section"], w["id"]): w["message"] for w in runs["utility", "en"][0]["warnings"]}
    key = ("indicators", "jugement_isolement")
    assert fr[key].startswith("les évaluateurs s'accordent peu : α de Krippendorff = 0,")
    assert en[key].startswith("raters agree weakly: Krippendorff's alpha = 0.")
    demo_fr = {(w["section"], w["id"]): w["message"] for w in runs["demo", "fr"][0]["warnings"]}
    demo_en = {(w["section"], w["id"]): w["message"] for w in runs["demo", "en"][0]["warnings"]}
    assert "écartée(s) (voir invalid/participants.csv)" in demo_fr["data", "participants"]
    assert "rows quarantined (see invalid/participants.csv)" in demo_en["data", "participants"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_run_context_warn_takes_a_string_or_both_languages(lang) -> None:
    ctx = RunContext(frames={}, framework=None, lang=lang)
    ctx.warn("effects", "e", "plain text")
    ctx.warn("effects", "e", {"fr": "en français", "en": "in English"})
    ctx.warn("effects", None, {"en": "only English"})
    ctx.warn("effects", None, {"fr": "seulement en français"})
    both = {"fr": "en français", "en": "in English"}
    assert ctx.warnings == [
        {"section": "effects", "id": "e", "message": "plain text"},
        {"section": "effects", "id": "e", "message": both[lang], "messages": both},
        {"section": "effects", "id": None, "message": "only English"},
        {"section": "effects", "id": None, "message": "seulement en français"},
    ]
    with pytest.raises(ValueError):
        ctx.warn("effects", None, {})
