"""The report's trend section: two years run and recorded with `evalsoc run --record`, the second
year's report shows each indicator's published value per year, a suppressed one as suppressed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import write

FRAMEWORK = """
evalsoc: 1
id: trend-demo
title: {{fr: "Suivi", en: "Follow-up"}}
language: {lang}
period: {{start: {year}-01-01, end: {year}-12-31}}
privacy: {{min_cell: 3}}
data:
  people:
    file: people-{year}.csv
    key: [id]
    columns:
      id: {{type: string}}
      employed: {{type: boolean}}
      income: {{type: number}}
dimensions:
  - id: emploi
    label: "Emploi"
    criteria:
      - id: acces
        label: "Accès"
        indicators:
          - id: taux
            label: "Taux d'emploi"
            proportion: employed
          - id: revenu
            label: "Revenu moyen"
            mean: income
"""

# 2024: 4 of 7 employed (57.1 %; 3 not employed, so neither count is under min_cell = 3), mean
# income 1 000; 2025: 2 of 7 employed (a count under min_cell: suppressed), mean income 1 100.
DATA = {
    2024: [
        ("oui", 900),
        ("oui", 1100),
        ("oui", 1000),
        ("oui", 1000),
        ("non", 950),
        ("non", 1050),
        ("non", 1000),
    ],
    2025: [
        ("oui", 1100),
        ("oui", 1000),
        ("non", 1200),
        ("non", 1100),
        ("non", 1050),
        ("non", 1150),
        ("non", 1100),
    ],
}


def _run(framework: Path, out: Path, store: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "evalsoc",
            "run",
            str(framework),
            "--out",
            str(out),
            "--record",
            str(store),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_second_year_report_shows_the_trend(tmp_path: Path, lang: str) -> None:
    store = tmp_path / "suivi.history.sqlite"
    for year, rows in DATA.items():
        lines = ["id;employed;income"] + [f"p{i};{e};{v}" for i, (e, v) in enumerate(rows)]
        write(tmp_path / f"people-{year}.csv", "\n".join(lines) + "\n")
        framework = write(tmp_path / f"suivi-{year}.yaml", FRAMEWORK.format(lang=lang, year=year))
        done = _run(framework, tmp_path / f"out-{year}", store)
        assert done.returncode == 0, done.stderr
    first = (tmp_path / "out-2024" / "report.html").read_text(encoding="utf-8")
    assert 'id="trend"' not in first  # nothing recorded before the first year
    page = (tmp_path / "out-2025" / "report.html").read_text(encoding="utf-8")
    section = page[page.index('id="trend"') :]
    section = section[: section.index("</section>")]
    words = {
        "fr": (
            "Évolution des indicateurs",
            "57,1\u00a0%",
            "1\u202f000",
            "1\u202f100",
            "masqué (effectif trop faible)",
        ),
        "en": ("Indicator trends", "57.1%", "1,000", "1,100", "suppressed (too few people)"),
    }[lang]
    assert words[0] in page
    for text in ("2024", "2025", *words[1:]):
        assert text in section, text
    # The suppressed 2025 rate is written as suppressed; its value appears nowhere.
    assert "28,6" not in section and "28.6" not in section


def test_sparkline_marks_suppressed_and_breaks_at_a_definition_change() -> None:
    from evalsoc.report.trend import period_label, sparkline

    def point(year: int, value: float | None, suppressed: bool = False, changed: bool = False):
        return {
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "value": value,
            "suppressed": suppressed,
            "definition_changed": changed,
        }

    svg = sparkline(
        [
            point(2021, 0.2),
            point(2022, 0.4),
            point(2023, None, suppressed=True),
            point(2024, 0.3, changed=True),
            point(2025, 0.5),
        ],
        "Taux",
    )
    # Two published points before the suppressed year are joined; the suppressed year is a
    # cross; the changed definition starts a new line (2024–2025), never joined to 2022.
    assert svg.count("<circle") == 4
    assert svg.count("<polyline") == 2
    assert svg.count("<path") == 1
    assert period_label({"start": "2024-01-01", "end": "2024-12-31"}) == "2024"
    assert period_label({"start": "2024-09-01", "end": "2025-08-31"}) == "2024-09-01 – 2025-08-31"
