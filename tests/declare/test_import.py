"""`evalsoc import xlsform` and `evalsoc import spss`: the printed `data:` block, then a run
of that block over an export of the same form."""

from __future__ import annotations

import json

import pytest
from tests.intake_helpers import HEAD, cli

openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("pyxform")

SURVEY = [
    ["type", "name", "label::Français (fr)", "label::English (en)", "required", "constraint",
     "relevant"],
    ["start", "start", None, None, None, None, None],
    ["begin_group", "identite", "Identité", "Identity", None, None, None],
    ["integer", "age", "Âge", "Age", "yes", ". >= 15 and . <= 99", None],
    ["select_one genre", "genre", "Genre", "Gender", "yes", None, None],
    ["end_group", None, None, None, None, None, None],
    ["select_multiple activites", "activites", "Activités", "Activities", "yes", None, None],
    ["decimal", "revenu", "Revenu", "Income", None, ". >= 0", "${age} >= 18"],
    ["date", "date_entree", "Date d'entrée", "Entry date", None, None, None],
    ["text", "commentaire", "Commentaire", "Comment", None, "string-length(.) < 200", None],
    ["begin_repeat", "membres", "Membres du foyer", "Household members", None, None, None],
    ["text", "prenom", "Prénom", "First name", None, None, None],
    ["integer", "age_membre", "Âge", "Age", "yes", ". <= 110", None],
    ["end_repeat", None, None, None, None, None, None],
]  # fmt: skip
CHOICES = [
    ["list_name", "name", "label::Français (fr)", "label::English (en)"],
    ["genre", "femme", "Femme", "Woman"],
    ["genre", "homme", "Homme", "Man"],
    ["activites", "sport", "Sport", "Sport"],
    ["activites", "cuisine", "Cuisine", "Cooking"],
]


def write_xlsform(path):
    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "survey"
    for row in SURVEY:
        survey.append(row)
    choices = book.create_sheet("choices")
    for row in CHOICES:
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language"])
    settings.append(["Centre social", "centre", "Français (fr)"])
    book.save(path)


def write_kobo_export(path):
    """The XLSX KoboToolbox exports for that form: main sheet, then one sheet per repeat."""
    book = openpyxl.Workbook()
    main = book.active
    main.title = "Centre social"
    main.append(["start", "identite/age", "identite/genre", "activites", "activites/sport",
                 "activites/cuisine", "revenu", "date_entree", "commentaire", "_id", "_uuid",
                 "_submission_time", "_validation_status", "_index"])  # fmt: skip
    main.append(["2025-02-03T10:00:00", 34, "femme", "sport", 1, 0, 1200.5, "2025-02-03", "",
                 1, "u1", "2025-02-03T11:00:00", "Approved", 1])  # fmt: skip
    main.append(["2025-02-04T10:00:00", 16, "homme", "sport cuisine", 1, 1, None, "2025-02-04",
                 "ok", 2, "u2", "2025-02-04T11:00:00", "Approved", 2])  # fmt: skip
    main.append(["2025-02-05T10:00:00", 52, "femme", "cuisine", 0, 1, 800, "2025-02-05", "",
                 3, "u3", "2025-02-05T11:00:00", "", 3])  # fmt: skip
    members = book.create_sheet("membres")
    members.append(["membres/prenom", "membres/age_membre", "_index", "_parent_table_name",
                    "_parent_index", "_submission__id", "_submission__uuid"])  # fmt: skip
    for i, (name, age, parent) in enumerate([("Ana", 8, 1), ("Ben", 12, 1), ("Cy", 40, 3)], 1):
        members.append([name, age, i, "Centre social", parent, parent, f"u{parent}"])
    book.save(path)


def test_xlsform_block_and_a_run_over_its_export(tmp_path):
    write_xlsform(tmp_path / "form.xlsx")
    proc = cli("import", "xlsform", str(tmp_path / "form.xlsx"))
    assert proc.returncode == 0, proc.stderr
    block = proc.stdout
    for expected in (
        'name: "identite/age"',
        "min: 15",
        "max: 99",
        "type: multiple",
        "values: [femme, homme]",
        "femme: {fr: Femme, en: Woman}",
        "# relevant: ${age} >= 18",
        "# constraint (not translated): string-length(.) < 200",
        "sheet: membres",
        "on: {_parent_index: _index}, how: many_to_one",
    ):
        assert expected in block, expected
    assert "required in the form" in block and "start" not in block.split("columns:")[1][:20]
    # The block as printed reads the export of the same form.
    write_kobo_export(tmp_path / "centre.xlsx")
    framework = (
        HEAD
        + block
        + """
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {id: age, mean: age, data: centre}
          - {id: sport, proportion: activites/sport, data: centre}
          - {id: age_membres, mean: age_membre, data: membres_with_parent}
          - {id: age_parents, mean: age, data: membres_with_parent}
"""
    )
    (tmp_path / "framework.yaml").write_text(framework, encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("run", str(tmp_path / "framework.yaml"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results["data"]["centre"]["undeclared_columns"] == []
    assert results["indicators"]["age"]["value"] == pytest.approx((34 + 16 + 52) / 3)
    assert results["indicators"]["sport"]["value"] == pytest.approx(2 / 3)
    assert results["indicators"]["age_membres"]["value"] == pytest.approx((8 + 12 + 40) / 3)
    assert results["indicators"]["age_parents"]["value"] == pytest.approx((34 + 34 + 52) / 3)


def test_output_file_is_never_overwritten(tmp_path):
    write_xlsform(tmp_path / "form.xlsx")
    target = tmp_path / "data.yaml"
    proc = cli("import", "xlsform", str(tmp_path / "form.xlsx"), "--tool", "odk", "-o", str(target))
    assert proc.returncode == 0, proc.stderr
    assert 'name: "identite-age"' in target.read_text(encoding="utf-8")
    target.write_text("mine", encoding="utf-8")
    proc = cli("import", "xlsform", str(tmp_path / "form.xlsx"), "-o", str(target))
    assert proc.returncode == 2 and "never overwrites" in proc.stderr
    assert target.read_text(encoding="utf-8") == "mine"


def test_spss_block(tmp_path):
    pd = pytest.importorskip("pandas")
    pyreadstat = pytest.importorskip("pyreadstat")
    frame = pd.DataFrame({"id": ["a", "b"], "sexe": [1.0, 2.0], "satisf": [3.0, 9.0],
                          "revenu": [1200.5, 900.25]})  # fmt: skip
    pyreadstat.write_sav(
        frame,
        str(tmp_path / "enquete.sav"),
        column_labels=["Identifiant", "Sexe", "Satisfaction", "Revenu"],
        variable_value_labels={"sexe": {1: "Homme", 2: "Femme"}, "satisf": {9: "Ne sait pas"}},
        missing_ranges={"satisf": [9]},
        variable_measure={"sexe": "nominal", "satisf": "ordinal", "revenu": "scale"},
    )
    proc = cli("import", "spss", str(tmp_path / "enquete.sav"))
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "sexe:\n        type: category\n        label: Sexe\n        values: [1, 2]" in text
    assert "# user-missing in the file, read as missing: 9 (Ne sait pas)" in text
    assert "revenu:\n        type: number" in text
