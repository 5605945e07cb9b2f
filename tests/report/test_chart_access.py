"""Every chart of the demo's report, in both languages, has a text alternative a screen reader
announces (role="img" and a <title>; the large charts an aria-label too) and the large charts
their plotted values in a table right after them: a visually hidden one, or, for the effects'
forest plot, the visible table of the estimates it draws (issue 11, item 5)."""

from __future__ import annotations

import re
from html import unescape

import pytest

SVG = re.compile(r"<svg\b([^>]*)>(.*?)</svg>", re.S)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_has_a_text_alternative_and_its_data(lang, demo_fr, demo_en):
    html = ((demo_fr if lang == "fr" else demo_en) / "report.html").read_text(encoding="utf-8")
    charts = list(SVG.finditer(html))
    large = [c for c in charts if "aria-label=" in c.group(1)]
    assert len(charts) >= 15 and len(large) >= 10  # the demo: 6 target bars, 14 matplotlib charts
    for chart in charts:
        attributes, inside = chart.group(1), chart.group(2)
        assert 'role="img"' in attributes
        title = re.match(r"\s*<title>(.+?)</title>", inside)
        assert title and unescape(title.group(1)).strip(), attributes[:80]
    caption = "Données du graphique" if lang == "fr" else "Chart data"
    for chart in large:
        label = unescape(re.search(r'aria-label="([^"]+)"', chart.group(1)).group(1))
        start = html.index("<table", chart.end())
        assert start - chart.end() < 400, label  # right after the chart
        table = html[start : html.index("</table>", start)]
        hidden = f"<table><caption>{caption} — {label}"
        assert unescape(table).startswith(hidden) or table.startswith('<table class="data">')
        assert table.count("<tr>") >= 1, label
