"""Every string a reader sees exists in French and English, and neither report speaks the other
language: the catalogues are complete, and the demo's reports hold none of the phrases that
used to leak (English method names in French, French verdicts in English)."""

from __future__ import annotations

import html
import importlib
import re
from pathlib import Path

import pytest
from examples_harness import ROOT

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


def test_no_python_none_reaches_the_reader(demo_fr, demo_en):
    # "sur 49 jugements de None évaluateurs": a count the privacy rule hid was printed as is.
    for folder in (demo_fr, demo_en):
        text = _text(folder / "report.html")
        assert re.findall(r".{40}\bNone\b.{20}", text) == []


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


# --- Every template's and every shipped framework's report, in both languages (issues 9, 11) ---

TEMPLATES = ["centre-social", "tiers-lieu", "tzcld", "aci", "ess-utilite-sociale"]
FRAMEWORKS = sorted(
    [
        *(ROOT / "frameworks").glob("*.yaml"),
        *(ROOT / "tests" / "data" / "effects").glob("*.yaml"),
        ROOT / "tests" / "data" / "sroi" / "framework.yaml",
    ]
)
# Kept in the fast tests: a template with rubric roles and an SROI, and the matching design.
FAST_TEMPLATE = "tzcld"
FAST_FRAMEWORK = ROOT / "tests" / "data" / "effects" / "nsw_cps.yaml"

# English phrases the designs and sections write (results.json) that leaked into French reports.
METHOD_ENGLISH = [
    "weighted difference in means",
    "nearest-neighbour",
    "MatchIt's conventions",
    "effect on the treated",
    "regression discontinuity",
    "instrumented by",
    "randomisation inference",
    "degrees of freedom",
    "inverse probability",
    "base period",
    "switched off",
    "no outcome is monetised",
    "does not cover the inputs",
]
# Two or more of these words in one line of a French report is an English sentence, and the
# French ones in an English report a French sentence (names and codes are single words).
ENGLISH_WORDS = re.compile(r"\b(the|of|and|with|is|are|not|from|which|could|cannot|between)\b")
FRENCH_WORDS = re.compile(r"\b(le|la|les|des|du|est|sont|avec|pour|aucun|aucune|entre|sur)\b")


def _report_text(out: Path) -> str:
    page = (out / "report.html").read_text(encoding="utf-8")
    page = re.sub(r"<(style|svg|script)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def _foreign_lines(text: str, lang: str) -> list[str]:
    """Lines of the report written in the other language."""
    words = ENGLISH_WORDS if lang == "fr" else FRENCH_WORDS
    lines = {line.strip() for line in text.split("\n")}
    return sorted(line for line in lines if len(set(words.findall(line))) >= 2)


def _labelled_codes(framework: Path) -> set[str]:
    """Coded values with a declared label (`labels:` of a column) that differs from the code."""
    import yaml

    spec = yaml.safe_load(framework.read_text(encoding="utf-8"))
    codes = set()
    for source in (spec.get("data") or {}).values():
        for column in (source.get("columns") or {}).values():
            for code, label in ((column or {}).get("labels") or {}).items():
                texts = label.values() if isinstance(label, dict) else [label]
                if "_" in str(code) and str(code) not in texts:
                    codes.add(str(code))
    return codes


def _run(framework: Path, out: Path, lang: str) -> Path:
    from examples_harness import run_cli

    proc = run_cli(framework, out, "--lang", lang, "-q")
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def template_report(tmp_path_factory):
    """(template, lang) → its report folder: `evalsoc init` (seeded) once, one run per language."""
    import subprocess
    import sys

    base = tmp_path_factory.mktemp("templates")
    done: dict[tuple[str, str], tuple[Path, Path]] = {}

    def get(name: str, lang: str) -> tuple[Path, Path]:
        if (name, lang) not in done:
            folder = base / name
            if not folder.exists():
                proc = subprocess.run(
                    [sys.executable, "-m", "evalsoc", "init", str(folder), "--template", name],
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                assert proc.returncode == 0, proc.stderr
            framework = folder / "framework.yaml"
            done[name, lang] = framework, _run(framework, base / f"{name}-{lang}", lang)
        return done[name, lang]

    return get


@pytest.fixture(scope="module")
def framework_report(tmp_path_factory):
    """(framework, lang) → its report folder, one run each."""
    base = tmp_path_factory.mktemp("frameworks")
    done: dict[tuple[Path, str], Path] = {}

    def get(framework: Path, lang: str) -> Path:
        if (framework, lang) not in done:
            name = f"{framework.parent.name}-{framework.stem}-{lang}"
            done[framework, lang] = _run(framework, base / name, lang)
        return done[framework, lang]

    return get


def _check_report(framework: Path, out: Path, lang: str) -> None:
    text = _report_text(out)
    if lang == "fr":
        phrases = [p for p in ENGLISH_IN_FRENCH + METHOD_ENGLISH if p in text]
    else:
        phrases = [p for p in FRENCH_IN_ENGLISH if p in text]
    assert phrases == [], phrases
    assert _foreign_lines(text, lang) == []
    shown = [c for c in sorted(_labelled_codes(framework)) if re.search(rf"\b{c}\b", text)]
    assert shown == [], f"codes shown instead of their labels: {shown}"


def _params(names, fast, slow_mark=pytest.mark.slow):
    return [
        pytest.param(name, lang, marks=() if name == fast else slow_mark)
        for name in names
        for lang in ("fr", "en")
    ]


@pytest.mark.parametrize(("template", "lang"), _params(TEMPLATES, FAST_TEMPLATE))
def test_a_template_report_speaks_one_language_and_shows_labels(template, lang, template_report):
    framework, out = template_report(template, lang)
    _check_report(framework, out, lang)


@pytest.mark.parametrize(
    ("framework", "lang"),
    _params(FRAMEWORKS, FAST_FRAMEWORK),
    ids=lambda v: v.stem if isinstance(v, Path) else v,
)
def test_a_framework_report_speaks_one_language_and_shows_labels(framework, lang, framework_report):
    _check_report(framework, framework_report(framework, lang), lang)


def test_rubric_groups_are_shown_by_their_label(template_report):
    """The tzcld template's judges' roles (`role` column labels), never `salaries_ebe`."""
    _, out = template_report("tzcld", "fr")
    text = _report_text(out)
    assert "Salariés de l'EBE" in text and "salaries_ebe" not in text
    _, out = template_report("tzcld", "en")
    assert "EBE workers" in _report_text(out)


def test_the_matching_method_is_worded_in_french(framework_report):
    text = _report_text(framework_report(FAST_FRAMEWORK, "fr"))
    assert "Appariement au plus proche voisin sur le score de propension" in text
    assert "différence de moyennes pondérée" in text
    text = _report_text(framework_report(FAST_FRAMEWORK, "en"))
    assert "Propensity-score nearest-neighbour matching" in text


# --- compare.html (`evalsoc compare`) reads its words from the same catalogue (issue 11) ---


def _compare_page(folder: Path, lang: str, monkeypatch) -> str:
    """compare.html of three fictitious sites (tests/compare's fixtures) in `lang`."""
    from click.testing import CliRunner

    from evalsoc.cli.main import cli

    monkeypatch.syspath_prepend(str(ROOT / "tests" / "compare"))
    from compare_fixtures import effect, proportion, results, write_run

    runs = []
    for fw_id, count, verdict, est in [("a", 120, "satisfaisant", 0.1), ("b", 90, "fragile", 0.2)]:
        doc = results(
            fw_id,
            2025,
            {"c1_taux": proportion(count, 300)},
            {"c1": verdict},
            {"eff": effect(est, 0.03)},
        )
        runs.append(str(write_run(folder / fw_id, doc)))
    done = CliRunner().invoke(
        cli, ["compare", *runs, "--out", str(folder / "o"), "--lang", lang, "-q"]
    )
    assert done.exit_code == 0, done.output
    page = (folder / "o" / "compare.html").read_text(encoding="utf-8")
    page = re.sub(r"<(style|svg)\b.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", page))


def test_compare_words_come_from_the_report_catalogue():
    from evalsoc.report.i18n_compare import COMPARE_GLOSSARY, COMPARE_TEXT

    assert set(COMPARE_TEXT["fr"]) == set(COMPARE_TEXT["en"])
    for code in COMPARE_TEXT["fr"]:
        assert i18n.t("fr", code) == COMPARE_TEXT["fr"][code] and i18n.t("en", code)
    for code in COMPARE_GLOSSARY:
        assert i18n.t("en", f"compare_term_{code}") and i18n.t("fr", f"compare_meaning_{code}")
    render = (SRC.parent / "compare" / "render.py").read_text(encoding="utf-8")
    used = set(re.findall(r"\bw\(lang, [\"'](\w+)[\"']\)", render))
    assert used and {f"compare_{code}" for code in used} <= set(COMPARE_TEXT["fr"])
    assert not (SRC.parent / "compare" / "words.py").exists()  # no second phrase table


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_compare_page_speaks_one_language(tmp_path, monkeypatch, lang):
    text = _compare_page(tmp_path, lang, monkeypatch)
    assert _foreign_lines(text, lang) == []
    expected = {
        "fr": ["Comparaison des lectures et des exécutions", "Glossaire", "Méthodes"],
        "en": ["Comparison of readings and runs", "Glossary", "Methods"],
    }[lang]
    assert all(phrase in text for phrase in expected), expected
