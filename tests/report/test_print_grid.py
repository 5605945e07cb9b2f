"""The print edition of a large grid (report/print_grid.py): above PRINT_DETAIL_LIMIT indicators
one dot chart per dimension replaces the per-indicator charts, the verdict explanations stay in
report.html, and the PDF says so; at or below the limit the print is unchanged."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from evalsoc.pipeline import run_framework
from evalsoc.report import print_grid
from evalsoc.report.html import render_report
from evalsoc.report.i18n import t


def _dimension(*ids: str) -> SimpleNamespace:
    indicators = [SimpleNamespace(id=i) for i in ids]
    return SimpleNamespace(criteria=[SimpleNamespace(indicators=indicators)])


def test_one_dot_per_indicator_with_a_target_at_value_over_target():
    indicators = {
        "emploi": {"value": 0.5, "target": 0.4, "status": "met"},  # 125 % of the target
        "revenu": {"value": 30.0, "target": 50.0, "status": "not_met"},  # 60 %
        "sans_cible": {"value": 12.0, "target": None, "status": "no_target"},
        "inconnu": {"value": 0.2, "target": 0.4, "status": "not_estimable"},  # 50 %, grey
    }
    svg = print_grid.dimension_dots(
        _dimension("emploi", "revenu", "sans_cible", "inconnu"), indicators, "fr", "Emploi <b>"
    )
    circles = re.findall(r'<circle cx="([\d.]+)" cy="[\d.]+" r="3" fill="(#\w+)"/>', svg)
    # Scale 0 .. max(150 %, largest ratio) × 1.05 = 1.575 over 480 px less 12 px each side:
    # x = 12 + ratio / 1.575 × 456 (worked by hand: 373.9, 185.7, 156.8).
    assert circles == [("373.9", "#1b7837"), ("185.7", "#b2182b"), ("156.8", "#969696")]
    ticks = ["0\u00a0%", "50\u00a0%", "100\u00a0%", "150\u00a0%"]  # Babel, fr
    assert re.findall(r">([^<]*%)</text>", svg) == ticks
    assert "<title>Emploi &lt;b&gt;</title>" in svg  # the title is escaped
    assert 'x1="301.5"' in svg  # the target line at 100 %: 12 + 1 / 1.575 × 456


def test_no_chart_without_any_target():
    indicators = {"a": {"value": 3.0, "target": None}}
    assert print_grid.dimension_dots(_dimension("a"), indicators, "en", "A") == ""


def test_summary_drops_the_rationales_and_adds_a_chart_per_dimension():
    framework = SimpleNamespace(dimensions=[_dimension("a")])
    dims = [{"label": "Emploi", "criteria": [{"rationale": "Parce que…", "label": "C"}]}]
    data = {"indicators": {"a": {"value": 0.5, "target": 0.4, "status": "met"}}}
    print_grid.summarise_for_print(dims, framework, data, "en")
    assert dims[0]["criteria"][0]["rationale"] is None
    assert "<title>Emploi: indicators against their targets</title>" in dims[0]["dots"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_print_edition_above_the_limit_only(mini, monkeypatch, lang):
    results = run_framework(mini, write=False, lang=lang)
    count = len(results.framework.all_indicators())
    monkeypatch.setattr(print_grid, "PRINT_DETAIL_LIMIT", count)  # at the limit: unchanged
    page = render_report(results, medium="print")
    assert 'class="chart-target"' in page and "chart-dots" not in page
    assert t(lang, "print_summary_note", limit=count).split("(")[0] not in page
    monkeypatch.setattr(print_grid, "PRINT_DETAIL_LIMIT", count - 1)  # above it: summarised
    page = render_report(results, medium="print")
    assert 'class="chart-target"' not in page and 'class="chart-dots"' in page
    note = t(lang, "print_summary_note", limit=count - 1).replace("'", "&#39;")
    assert note in page
    assert 'class="data indicators no-chart"' in page
    # The screen report is never summarised.
    screen = render_report(results)
    assert 'class="chart-target"' in screen and "chart-dots" not in screen
