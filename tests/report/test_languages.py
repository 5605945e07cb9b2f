"""Every string a reader sees exists in French and English, and neither report speaks the other
language: the catalogues are complete, and the demo's reports hold none of the phrases that
used to leak (English method names in French, French verdicts in English)."""

from __future__ import annotations

import html
import importlib
import re
from pathlib import Path

import pytest

from evalsoc.report import glossary, i18n
from evalsoc.report.phrases import check_text, method_text

SRC = Path(__file__).resolve().parents[2] / "src" / "evalsoc" / "report"

# Phrases seen in the French report before the catalogue (issue 11), and their French twins.
ENGLISH_IN_FRENCH = [
    "Difference-in-differences",
    "standard errors",
    "Mean change after",
    "paired t-test",
    "missing value",
    "not nullable",
    "one of ",
    "Evidence cited",
    "Verdict:",
    # Reasons a statistic cannot be estimated (coded since issue 9, item 5).
    "could not be estimated",
    "no one in the",
    "needs at least",
    "the outcome takes",
    "not estimable",
]
FRENCH_IN_ENGLISH = [
    "(satisfaisant)",
    "(insuffisant)",
    "Organisation :",
    "Preuves citées",
    "Méthode :",
    "Détail par",
    "Appréciation",
    "Période",
]


def _text(report: Path) -> str:
    page = report.read_text(encoding="utf-8")
    page = re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_catalogue_has_every_code_in_both_languages():
    assert set(i18n.TEXT["fr"]) == set(i18n.TEXT["en"])
    for lang in ("fr", "en"):
        assert all(v.strip() for v in i18n.TEXT[lang].values())
    placeholders = {k: set(re.findall(r"{(\w+)}", v)) for k, v in i18n.TEXT["fr"].items()}
    for k, v in i18n.TEXT["en"].items():
        assert set(re.findall(r"{(\w+)}", v)) == placeholders[k], k


def test_every_code_the_report_uses_is_in_the_catalogue():
    used = set()
    for path in (
        list(SRC.glob("*.py"))
        + list(SRC.glob("writers/*.py"))
        + [SRC / "templates" / "report.html"]
    ):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bt\(\s*(?:lang|results\.lang),\s*\"(\w+)\"", text))
        used |= set(re.findall(r"\bt\('(\w+)'", text))
    assert used, "the scan found no catalogue use"
    missing = sorted(used - set(i18n.TEXT["fr"]))
    assert missing == [], missing


@pytest.mark.parametrize(
    "name", ["criteria", "effects", "capabilities", "qualitative", "volunteering", "sroi"]
)
def test_section_catalogues_are_complete(name):
    module = importlib.import_module(f"evalsoc.sections.{name}.render")
    catalogue = getattr(module, "TEXT", None) or getattr(module, "_TEXT", None)
    if catalogue is None:
        pytest.skip(f"{name} keeps no catalogue")
    assert set(catalogue["fr"]) == set(catalogue["en"])


def test_glossary_terms_exist_in_both_languages():
    for code, entry in glossary.TERMS.items():
        assert set(entry) == {"fr", "en"}, code
        assert all(term and meaning for term, meaning in entry.values()), code


def test_method_and_check_phrases_are_translated():
    method = (
        "Difference-in-differences by OLS (programme group × after period); absorbing fixed "
        "effects of person_id; heteroskedasticity-robust (HC2) standard errors"
    )
    assert method_text(method, "fr") == (
        "Différence de différences par MCO (groupe du dispositif × période après) ; effets fixes "
        "absorbés : person_id ; erreurs types robustes à l'hétéroscédasticité (HC2)"
    )
    assert method_text(method, "en") == method
    assert check_text("age: max 80", "fr") == "age : maximum 80"
    assert (
        check_text("x: missing value (not nullable)", "fr")
        == "x : valeur manquante (non autorisée)"
    )
    assert check_text("site: one of Nord, Sud", "fr") == "site : une des valeurs Nord, Sud"


def test_the_french_report_speaks_french(demo_fr):
    text = _text(demo_fr / "report.html")
    leaks = [p for p in ENGLISH_IN_FRENCH if p in text]
    assert leaks == [], leaks
    assert "du 1er janvier 2025 au 31 décembre 2025" in text
    assert "Rapport daté du 15 février 2026" in text  # report.date, never the clock


def test_the_english_report_speaks_english(demo_en):
    text = _text(demo_en / "report.html")
    leaks = [p for p in FRENCH_IN_ENGLISH if p in text]
    assert leaks == [], leaks
    assert "from 1 January 2025 to 31 December 2025" in text


def test_codes_are_not_shown_when_a_label_exists(demo_fr):
    text = _text(demo_fr / "report.html")
    # Cited evidence by its label (was "Preuves citées : pouvoir_agir, effet_pouvoir_agir").
    assert "effet_pouvoir_agir" not in text and "Effet sur le score de privation" in text
    # Column and value labels (`label`, `labels`) in the breakdowns.
    assert "Détail par Site" in text and "Détail par Sexe" in text
    assert "Détail par sexe" not in text and "Femmes" in text and "Hommes" in text


def test_evaluator_warnings_go_to_the_annex_not_the_synthesis(demo_fr):
    page = (demo_fr / "report.html").read_text(encoding="utf-8")
    synthesis = page[page.index('<section id="synthesis"') : page.index('<section id="context"')]
    annex = page[page.index('<section id="annex"') :]
    warning = "8 ligne(s) sur 1207 écartée(s)"  # the demo's deliberate invalid rows
    assert warning not in synthesis and warning in annex
    # Each glossary term is linked once, from its first use, to its entry.
    assert page.count('href="#g-ci"') == 1 and 'id="g-ci"' in page
