"""The funder's restricted edition: one switch (the effective min_cell becomes 1), counts below
min_cell shown, every page marked, results.json records the edition; public stays the default."""

from __future__ import annotations

import json

import pytest
from examples_harness import run_cli

FRAMEWORK = """
evalsoc: 1
id: petite
title: {fr: "Petite association", en: "Small association"}
language: fr
period: {start: 2025-01-01, end: 2025-12-31}
privacy: {min_cell: 10}
data:
  people:
    file: people.csv
    columns:
      id: {type: string}
      site: {type: category, values: [nord, sud], label: {fr: "Quartier", en: "Area"}, labels: {nord: {fr: "Les Tilleuls", en: "Lime Trees"}, sud: "Centre"}}
      employed: {type: boolean}
dimensions:
  - id: emploi
    label: "Emploi"
    criteria:
      - id: acces
        label: "Accès"
        indicators:
          - id: accueillis
            label: "Personnes accueillies"
            count: "employed or not employed"
          - id: taux
            label: "Taux d'emploi"
            proportion: employed
            by: [site]
narrative:
  context:
    fr: "Un **petit** centre. <script>alert('x')</script> <b onclick=\\"x\\">gras</b>"
"""


def _write(folder, edition_key=""):
    rows = "".join(
        f"p{i};{'nord' if i < 4 else 'sud'};{'oui' if i % 2 else 'non'}\n" for i in range(8)
    )
    (folder / "people.csv").write_text("id;site;employed\n" + rows, encoding="utf-8")
    text = FRAMEWORK.replace("privacy: {min_cell: 10}", f"privacy: {{min_cell: 10{edition_key}}}")
    path = folder / "framework.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _run(tmp_path, *args, edition_key=""):
    framework = _write(tmp_path, edition_key)
    out = tmp_path / "out"
    proc = run_cli(framework, out, "-q", *args)
    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return data, (out / "report.html").read_text(encoding="utf-8"), proc


def test_public_edition_suppresses_small_counts(tmp_path):
    data, page, _ = _run(tmp_path)
    assert data["framework"]["edition"] == "public"
    assert data["indicators"]["accueillis"]["value"] is None  # 8 people < min_cell 10
    assert data["indicators"]["accueillis"]["status"] == "suppressed"
    assert "Diffusion restreinte" not in page


def test_funder_edition_shows_every_count_and_marks_every_page(tmp_path):
    data, page, proc = _run(tmp_path, "--edition", "funder", "--format", "html,json,pdf")
    assert data["framework"]["edition"] == "funder"
    assert data["indicators"]["accueillis"]["value"] == 8
    by = {c["group"]["site"]: c for c in data["indicators"]["taux"]["by"]}
    assert by["nord"]["n"] == 4 and by["nord"]["value"] == 0.5  # p1, p3 of p0..p3
    assert "Diffusion restreinte — ne pas publier" in page
    assert "edition: funder" in proc.stdout
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(tmp_path / "out" / "report.pdf") as pdf:
        for page_ in pdf.pages:
            assert "Diffusion restreinte — ne pas publier" in page_.extract_text()


def test_the_framework_can_ask_for_the_funder_edition(tmp_path):
    data, page, _ = _run(tmp_path, "--lang", "en", edition_key=", edition: funder")
    assert data["framework"]["edition"] == "funder"
    assert "Restricted — do not publish" in page


def test_labels_and_narrative_are_shown_safely(tmp_path):
    _, page, _ = _run(tmp_path, "--edition", "funder")
    assert "Détail par Quartier" in page and "Les Tilleuls" in page
    assert ">nord<" not in page
    assert "<strong>petit</strong>" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b onclick" not in page


def test_a_reading_for_an_unknown_criterion_is_a_framework_error(tmp_path):
    framework = _write(tmp_path)
    text = framework.read_text(encoding="utf-8") + '  criteria:\n    acess: "lecture"\n'
    framework.write_text(text, encoding="utf-8")
    proc = run_cli(framework, tmp_path / "out")
    assert proc.returncode == 2  # a French framework: the message is French
    assert "[unknown_criterion]" in proc.stderr
    assert "critère inconnu 'acess'" in proc.stderr and "acces" in proc.stderr
