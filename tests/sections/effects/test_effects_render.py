"""The effects report fragment: escaped user text, a forest plot, honest wording."""

from __future__ import annotations

from types import SimpleNamespace

from evalsoc.sections.effects.config import EffectSpec
from evalsoc.sections.effects.render import render


def _spec(effect_id, **kw):
    base = {
        "id": effect_id,
        "data": "d",
        "design": "did",
        "outcome": "y",
        "treatment": "t",
        "post": "wave == 1",
    }
    return EffectSpec(**{**base, **kw})


def _result(estimate, low, high, **kw):
    return {
        "estimable": True,
        "design": "did",
        "estimate": estimate,
        "ci_low": low,
        "ci_high": high,
        "p_value": 0.2,
        "p_value_holm": 0.4,
        "n_treated": 40,
        "n_control": 50,
        "outcome_type": "continuous",
        "method": "OLS <b>",
        "effect_size": {"sd_pooled": 2.0},
        "mde": {"value": 1.0},
        "sentence": {"fr": "Phrase FR <i>", "en": "English sentence"},
        **kw,
    }


def test_escapes_user_text_and_draws_the_plot():
    specs = [_spec("a", label="<script>alert(1)</script>"), _spec("b")]
    results = {
        "a": _result(1.0, 0.2, 1.8),
        "b": {
            "estimable": False,
            "design": "did",
            "reason": "no <rows>",
            "sentence": {"fr": "Cet effet n'a pas pu être estimé", "en": "x"},
        },
    }
    html = render(results, SimpleNamespace(effects=specs), "fr")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "no &lt;rows&gt;" in html and "non estimable" in html
    assert "Phrase FR &lt;i&gt;" in html and "OLS &lt;b&gt;" in html
    assert html.count("<svg") == 1 and "http://www.w3.org" in html  # svg namespace only
    assert "src=" not in html and 'href="http' not in html


def test_units_that_differ_are_plotted_standardised():
    specs = [_spec("a", unit_label="€"), _spec("b", unit_label="points")]
    results = {"a": _result(10.0, 2.0, 18.0), "b": _result(1.0, -0.5, 2.5)}
    html = render(results, SimpleNamespace(effects=specs), "en")
    assert "standard deviations" in html
    same = render(results, SimpleNamespace(effects=[_spec("a"), _spec("b")]), "en")
    assert "standard deviations" not in same


def test_empty_section():
    assert "declares no effect" in render({}, SimpleNamespace(effects=[]), "en")


def test_staggered_effects_show_the_event_study_and_the_pre_trend_test(tmp_path):
    from pathlib import Path

    from evalsoc.pipeline import run_framework

    framework = Path(__file__).resolve().parents[2] / "data" / "effects" / "mpdta.yaml"
    run_framework(framework, out_dir=tmp_path / "out", lang="en")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Effect by time since entering the programme" in html
    assert "Test of parallel trends before entry (Wald, 5 pre-period estimates): p = 0.168" in html
