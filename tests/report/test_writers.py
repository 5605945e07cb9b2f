"""The PDF, spreadsheet and Word outputs of the demo, read back as a funder's tools would:
A4 pages with the synthesis first, no text past the right margin, and the same indicator
values as results.json; every format byte-identical across two runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from examples_harness import run_cli

from evalsoc.framework.load import load_framework
from evalsoc.report.writers import WRITERS, parse_formats
from evalsoc.sections.qualitative.config import LEVEL_LABELS
from evalsoc.text.format import fmt_number, fmt_percent

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "frameworks" / "chantier-insertion.yaml"
A4 = (595.28, 841.89)  # points
RIGHT_MARGIN = 14 / 25.4 * 72  # report.css @page margin, in points


def _results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def test_pdf_is_a4_with_the_synthesis_first_and_nothing_cut(demo_fr):
    pdfplumber = pytest.importorskip("pdfplumber")
    data = _results(demo_fr)
    fw = load_framework(DEMO)
    with pdfplumber.open(demo_fr / "report.pdf") as pdf:
        pages = pdf.pages
        assert 10 <= len(pages) <= 40, len(pages)
        for page in pages:
            assert (round(page.width, 1), round(page.height, 1)) == (595.3, 841.9)
            past = [c["text"] for c in page.chars if c["x1"] > page.width - RIGHT_MARGIN + 0.5]
            assert past == [], f"text beyond the right margin on page {page.page_number}: {past}"
        first = "\n".join(p.extract_text() for p in pages[:3])
        assert "1 / " in pages[0].extract_text()  # page numbers
        # Breakdowns print as a matrix: each site's value and n, as results.json gives them.
        text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Détail par Site" in text
    for cell in data["indicators"]["taux_emploi"]["by"]:
        value = f"{fmt_percent(cell['value'], 'fr')} (n = {fmt_number(cell['n'], 'fr', 0)})"
        assert " ".join(value.split()) in text, value
    assert "Synthèse" in first
    for dim in fw.dimensions:
        for crit in dim.criteria:
            verdict = data["criteria"][crit.id]["verdict"]
            assert crit.label.fr.split()[0] in first
            assert LEVEL_LABELS[verdict]["fr"] in first, (crit.id, verdict)


def test_xlsx_holds_the_indicators_of_results_json_and_no_formula(demo_fr):
    openpyxl = pytest.importorskip("openpyxl")
    data = _results(demo_fr)
    book = openpyxl.load_workbook(demo_fr / "results.xlsx")
    sheet = book["Indicateurs"]
    assert sheet.freeze_panes == "A2"
    heads = [c.value for c in sheet[1]]
    assert heads[:4] == ["Identifiant", "Dimension", "Critère", "Indicateur"]
    col = {h: i for i, h in enumerate(heads)}
    seen = {}
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if not row[col["Groupe"]]:
            seen[row[0]] = row
    assert set(seen) == set(data["indicators"])
    for ind_id, res in data["indicators"].items():
        # openpyxl writes 17 significant digits at most: equal to the last bit or so.
        value = res.get("value")
        assert seen[ind_id][col["Valeur"]] == (
            value if value is None else pytest.approx(value, rel=1e-15)
        ), ind_id
        assert seen[ind_id][col["Effectif"]] == res.get("n"), ind_id
    taux = data["indicators"]["taux_emploi"]
    groups = {
        r[col["Groupe"]]: r
        for r in sheet.iter_rows(min_row=2, values_only=True)
        if r[0] == "taux_emploi" and r[col["Groupe"]]
    }
    assert set(groups) == {c["group"]["site"] for c in taux["by"]}
    for wsheet in book.worksheets:
        for row in wsheet.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_docx_holds_the_indicators_of_results_json(demo_fr):
    docx = pytest.importorskip("docx")
    data = _results(demo_fr)
    document = docx.Document(demo_fr / "report.docx")
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:2] == ["Synthèse", "Effets principaux"]
    assert len(document.inline_shapes) >= 1  # the chart, as a PNG image
    table = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Identifiant" and t.rows[0].cells[3].text == "Indicateur"
    )
    heads = [c.text for c in table.rows[0].cells]
    assert "Groupe" not in heads  # one row per indicator; the groups are in the matrices
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert set(rows) == set(data["indicators"])
    for ind_id, res in data["indicators"].items():
        value = res.get("value")
        expected = "—" if value is None else fmt_number(value, "fr", 3)
        assert rows[ind_id][heads.index("Valeur")] == expected, ind_id
    # Each breakdown as a matrix: the employment rate by site, value and n of results.json.
    matrix = next(
        t
        for t in document.tables
        if t.rows[0].cells[0].text == "Indicateur" and "Nord" in [c.text for c in t.rows[0].cells]
    )
    groups = [c.text for c in matrix.rows[0].cells]
    taux = data["indicators"]["taux_emploi"]
    label = "Taux d'emploi à la sortie (programme)"
    line = next([c.text for c in r.cells] for r in matrix.rows if r.cells[0].text == label)
    assert len(taux["by"]) == 3
    for cell in taux["by"]:
        shown = line[groups.index(cell["group"]["site"])]
        assert shown == f"{fmt_percent(cell['value'], 'fr')} (n = {fmt_number(cell['n'], 'fr', 0)})"


FORMULA_FRAMEWORK = """
evalsoc: 1
id: formules
title: "=HYPERLINK(\\"http://x\\")"
language: fr
period: {start: 2025-01-01, end: 2025-06-30}
privacy: {min_cell: 1}
data:
  people:
    file: people.csv
    columns:
      id: {type: string}
      site: {type: category, values: [nord, sud], labels: {nord: "+Nord", sud: "@Sud"}}
      employed: {type: boolean}
dimensions:
  - id: emploi
    label: "-Emploi"
    criteria:
      - id: acces
        label: "=1+1"
        indicators:
          - id: taux
            label: "=SUM(A1:A9)"
            proportion: employed
            by: [site]
            target: 0.5
"""


def _formula_framework(folder: Path) -> Path:
    (folder / "people.csv").write_text(
        "id;site;employed\n"
        + "".join(
            f"p{i};{'nord' if i % 2 else 'sud'};{'oui' if i % 3 else 'non'}\n" for i in range(30)
        ),
        encoding="utf-8",
    )
    path = folder / "framework.yaml"
    path.write_text(FORMULA_FRAMEWORK, encoding="utf-8")
    return path


def test_every_format_is_byte_identical_across_runs(tmp_path):
    pytest.importorskip("weasyprint")
    framework = _formula_framework(tmp_path)
    outs = []
    for name in ("a", "b"):
        proc = run_cli(framework, tmp_path / name, "--format", "all", "-q")
        assert proc.returncode == 0, proc.stderr
        outs.append(tmp_path / name)
    for module in WRITERS:
        filename = __import__(WRITERS[module], fromlist=["FILENAME"]).FILENAME
        assert (outs[0] / filename).read_bytes() == (outs[1] / filename).read_bytes(), filename


def test_text_that_looks_like_a_formula_is_stored_as_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    framework = _formula_framework(tmp_path)
    proc = run_cli(framework, tmp_path / "out", "--format", "xlsx", "-q")
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "out" / "report.html").exists()  # only what was asked
    book = openpyxl.load_workbook(tmp_path / "out" / "results.xlsx")
    texts = [
        c for s in book.worksheets for r in s.iter_rows() for c in r if isinstance(c.value, str)
    ]
    risky = [c for c in texts if c.value[:1] in "=+-@"]
    assert {c.value for c in risky} >= {"=SUM(A1:A9)", "=1+1", "-Emploi", "+Nord", "@Sud"}
    assert all(c.data_type == "s" for c in risky)


def test_format_names_are_checked():
    assert parse_formats(None) == ("html", "json")
    assert parse_formats("all") == tuple(WRITERS)
    assert parse_formats("pdf, html") == ("html", "pdf")


def test_unknown_format_is_a_usage_error(mini, tmp_path):
    proc = run_cli(mini, tmp_path / "out", "--format", "html,odt")
    assert proc.returncode == 2
    assert "unknown output format(s) 'odt'" in proc.stderr
    assert not (tmp_path / "out").exists()
