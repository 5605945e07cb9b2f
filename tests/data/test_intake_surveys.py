"""Exports of KoboToolbox, ODK Central and LimeSurvey written as those tools write them, and
spreadsheets as evaluators receive them (ODS, a title row, percentages and dates as text)."""

from __future__ import annotations

import csv
import zipfile

import pytest
from tests.intake_helpers import indicator, reconciles, run

# KoboToolbox CSV export ("XML values and headers", group separator "/", ";" delimiter, every
# field quoted): a select_multiple gives the space-separated cell and one 1/0 column per choice.
KOBO_HEADER = [
    "start", "end", "identite/age", "identite/genre", "activites", "activites/sport",
    "activites/cuisine", "activites/numerique", "satisfaction", "_id", "_uuid",
    "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
    "__version__", "_tags", "_index",
]  # fmt: skip
KOBO_ROWS = [
    # age, genre, activites, validation status
    ("34", "femme", "sport cuisine", "Approved"),
    ("51", "homme", "cuisine", "Approved"),
    ("27", "femme", "sport numerique", "Approved"),
    ("45", "femme", "numerique", "Not Approved"),
    ("62", "homme", "sport", "Approved"),
    ("38", "femme", "cuisine numerique", "Approved"),
    ("19", "homme", "sport cuisine numerique", ""),
    ("70", "femme", "cuisine", "Approved"),
]
CHOICES = ["sport", "cuisine", "numerique"]


def write_kobo_csv(path):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(KOBO_HEADER)
        for i, (age, genre, acts, status) in enumerate(KOBO_ROWS, start=1):
            flags = ["1" if c in acts.split() else "0" for c in CHOICES]
            writer.writerow(
                [
                    "2025-02-03T10:00:00.000+01:00",
                    "2025-02-03T10:12:00.000+01:00",
                    age,
                    genre,
                    acts,
                    *flags,
                    "4",
                    str(1000 + i),
                    f"c0ffee{i:02d}-0000-4000-8000-000000000000",
                    "2025-02-03T09:12:00",
                    status,
                    "",
                    "submitted_via_web",
                    "",
                    "vXyZ2025",
                    "",
                    str(i),
                ]
            )


KOBO_BODY = """
data:
  kobo:
    file: kobo.csv
    where: "_validation_status == 'Approved'"
    columns:
      age: {type: integer, name: identite/age, min: 15}
      genre: {type: category, name: identite/genre, values: [femme, homme]}
      activites: {type: multiple, values: [sport, cuisine, numerique]}
      satisfaction: {type: integer, min: 1, max: 5}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {id: age_moyen, mean: age}
          - {id: sport, proportion: activites/sport}
          - {id: age_femmes, mean: age, where: "`identite/genre` == 'femme'"}
"""


def test_kobo_csv_system_columns_where_and_select_multiple(tmp_path):
    write_kobo_csv(tmp_path / "kobo.csv")
    results = run(tmp_path, KOBO_BODY.replace("`identite/genre`", "genre"))
    source = results["data"]["kobo"]
    assert source["tool"] == "kobo"
    # Approved: rows 1, 2, 3, 5, 6, 8 (the not approved and the unvalidated are filtered out).
    assert (source["rows_read"], source["rows_used"], source["rows_filtered"]) == (8, 6, 2)
    assert reconciles(source)
    assert source["undeclared_columns"] == []  # start/end/_uuid... are Kobo's own columns
    assert "_validation_status" in source["system_columns"]
    assert indicator(results, "age_moyen")["value"] == pytest.approx(
        (34 + 51 + 27 + 62 + 38 + 70) / 6
    )
    # sport ticked by rows 1, 3, 5 among the six approved.
    assert indicator(results, "sport")["value"] == pytest.approx(3 / 6)
    assert indicator(results, "age_femmes")["value"] == pytest.approx((34 + 27 + 38 + 70) / 4)


def test_kobo_name_with_slash_in_where_needs_backticks(tmp_path):
    """A file header with `/` is reachable in `where` between backticks when not renamed."""
    write_kobo_csv(tmp_path / "kobo.csv")
    body = KOBO_BODY.replace("name: identite/genre, ", "").replace("genre:", "identite/genre:")
    results = run(tmp_path, body)
    assert indicator(results, "age_femmes")["value"] == pytest.approx((34 + 27 + 38 + 70) / 4)


def test_kobo_xlsx_repeat_sheet_joined_to_parent(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    main = book.active
    main.title = "Centre social"
    main.append(["identite/age", "activites", "_uuid", "_submission_time", "_index"])
    main.append([34, "sport", "u1", "2025-02-03T09:12:00", 1])
    main.append([51, "cuisine", "u2", "2025-02-03T09:13:00", 2])
    main.append([27, "sport cuisine", "u3", "2025-02-03T09:14:00", 3])
    members = book.create_sheet("membres")
    members.append(
        ["membres/prenom", "membres/age", "_index", "_parent_table_name", "_parent_index"]
    )
    for index, (name, age, parent) in enumerate(
        [("Ana", 8, 1), ("Ben", 12, 1), ("Cy", 5, 2), ("Dee", 15, 3), ("Eve", 3, 9)], start=1
    ):
        members.append([name, age, index, "Centre social", parent])
    book.save(tmp_path / "kobo.xlsx")
    body = """
    data:
      foyers:
        file: kobo.xlsx
        format: kobo
        columns:
          age: {type: integer, name: identite/age}
          activites: {type: multiple, values: [sport, cuisine]}
      membres:
        file: kobo.xlsx
        format: kobo
        sheet: membres
        columns:
          age_enfant: {type: integer, name: membres/age, min: 0}
      enfants:
        join: {left: membres, right: foyers, on: {_parent_index: _index}, how: many_to_one}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators:
              - {id: age_enfants, mean: age_enfant, data: enfants}
              - {id: age_parents, mean: age, data: enfants}
    """
    results = run(tmp_path, body)
    joined = results["data"]["enfants"]
    # Eve's parent index 9 matches no household: unmatched, listed, not silently dropped.
    assert (joined["rows_read"], joined["rows_used"], joined["rows_unmatched"]) == (5, 4, 1)
    assert reconciles(joined)
    assert joined["join"]["many_side_repeated_rows"] == 2  # Ana and Ben share household 1
    assert indicator(results, "age_enfants")["value"] == pytest.approx((8 + 12 + 5 + 15) / 4)
    assert indicator(results, "age_parents")["value"] == pytest.approx((34 + 34 + 51 + 27) / 4)
    assert results["data"]["membres"]["undeclared_columns"] == ["membres/prenom"]


# ODK Central: "-" between group and question; the zip holds one CSV per repeat group.
ODK_MAIN = (
    "SubmissionDate,start,end,identite-age,identite-genre,activites,meta-instanceID,KEY,"
    "SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,"
    "DeviceID,Edits,FormVersion\n"
    + "".join(
        f"2025-02-03T09:1{i}:00.000Z,2025-02-03T10:00:00.000+01:00,2025-02-03T10:10:00.000+01:00,"
        f"{age},{genre},{acts},uuid:{i},uuid:{i},5,enqueteur,0,0,,{review},collect:x,0,2025\n"
        for i, (age, genre, acts, review) in enumerate(
            [
                (34, "femme", "sport cuisine", "approved"),
                (51, "homme", "cuisine", "approved"),
                (27, "femme", "sport", "rejected"),
                (45, "femme", "numerique", "approved"),
            ],
            start=1,
        )
    )
)
ODK_REPEAT = (
    "membres-prenom,membres-age,PARENT_KEY,KEY\n"
    "Ana,8,uuid:1,uuid:1/membres[1]\n"
    "Ben,12,uuid:1,uuid:1/membres[2]\n"
    "Cy,5,uuid:2,uuid:2/membres[1]\n"
)


def test_odk_zip_main_and_repeat(tmp_path):
    with zipfile.ZipFile(tmp_path / "centre.zip", "w") as archive:
        archive.writestr("centre.csv", ODK_MAIN)
        archive.writestr("centre-membres.csv", ODK_REPEAT)
    body = """
    data:
      foyers:
        file: centre.zip
        where: "ReviewState != 'rejected'"
        columns:
          age: {type: integer, name: identite-age}
          activites: {type: multiple, values: [sport, cuisine, numerique]}
      membres:
        file: centre.zip
        table: membres
        columns:
          age_enfant: {type: integer, name: membres-age}
      enfants:
        join: {left: membres, right: foyers, on: {PARENT_KEY: KEY}, how: many_to_one}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators:
              - {id: age, mean: age, data: foyers}
              - {id: cuisine, proportion: activites/cuisine, data: foyers}
              - {id: age_parents, mean: age, data: enfants}
    """
    results = run(tmp_path, body)
    foyers = results["data"]["foyers"]
    assert foyers["tool"] == "odk" and foyers["undeclared_columns"] == ["identite-genre"]
    assert (foyers["rows_used"], foyers["rows_filtered"]) == (3, 1)
    assert indicator(results, "age")["value"] == pytest.approx((34 + 51 + 45) / 3)
    assert indicator(results, "cuisine")["value"] == pytest.approx(2 / 3)
    enfants = results["data"]["enfants"]
    assert (enfants["rows_used"], enfants["rows_unmatched"]) == (3, 0)
    assert enfants["join"]["right_unmatched"] == 1  # household 4 has no member listed
    assert indicator(results, "age_parents")["value"] == pytest.approx((34 + 34 + 51) / 3)


# LimeSurvey "Question code" CSV export: comma, every field quoted, multiple choice Y/empty.
LIMESURVEY = (
    '"id","submitdate","lastpage","startlanguage","seed","startdate","datestamp","Q1",'
    '"PA[SQ001]","PA[SQ002]","PA[SQ003]"\n'
    '"1","2025-02-03 10:00:00","3","fr","123","2025-02-03 09:50:00","2025-02-03 10:00:00","A1","Y","","Y"\n'
    '"2","2025-02-03 10:05:00","3","fr","456","2025-02-03 09:55:00","2025-02-03 10:05:00","A2","","","Y"\n'
    '"3","2025-02-03 10:07:00","3","fr","789","2025-02-03 09:58:00","2025-02-03 10:07:00","A1","","",""\n'
    '"4","2025-02-03 10:09:00","3","fr","321","2025-02-03 09:59:00","2025-02-03 10:09:00","A2","Y","Y","Y"\n'
)


@pytest.mark.parametrize("empty_means, used, sq1", [(False, 4, 2 / 4), (None, 3, 2 / 3)])
def test_limesurvey_y_or_empty(tmp_path, empty_means, used, sq1):
    (tmp_path / "lime.csv").write_text(LIMESURVEY, encoding="utf-8")
    option = "" if empty_means is None else ", empty_means: false"
    body = f"""
    policy: {{max_invalid_share: 0.5}}
    data:
      lime:
        file: lime.csv
        columns:
          Q1: {{type: category, values: [A1, A2], labels: {{A1: Oui, A2: Non}}}}
          PA: {{type: multiple, values: [SQ001, SQ002, SQ003]{option}}}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators:
              - {{id: sq1, proportion: "PA/SQ001"}}
    """
    results = run(tmp_path, body)
    source = results["data"]["lime"]
    assert source["tool"] == "limesurvey" and source["undeclared_columns"] == []
    # Row 3 ticked nothing: with empty_means false it answered "none"; otherwise it is missing.
    assert source["rows_used"] == used and reconciles(source)
    assert indicator(results, "sq1")["value"] == pytest.approx(sq1)
    assert source["value_labels"]["Q1"] == {"A1": "Oui", "A2": "Non"}


def test_spreadsheet_title_row_percent_dates_and_float_codes(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Suivi des ateliers — centre social, 2025"])
    sheet.append([])
    sheet.append(["id", "presence", "date_entree", "quartier"])
    rows = [
        ("a", "45 %", "3 février 2025", "1.0"),
        ("b", "80%", "12 mars 2025", "2.0"),
        ("c", "12,5", "1er avril 2025", "1"),
        ("d", "100 %", "February 3, 2025", "2"),
        ("e", "beaucoup", "2025-05-02", "3"),
    ]
    for row in rows:
        sheet.append(list(row))
    book.save(tmp_path / "suivi.xlsx")
    body = """
    policy: {max_invalid_share: 0.5}
    data:
      suivi:
        file: suivi.xlsx
        header_row: 3
        columns:
          id: {type: string}
          presence: {type: number, unit: percent, min: 0, max: 1}
          date_entree: {type: date}
          quartier: {type: category, values: [1, 2, 3]}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators:
              - {id: presence, mean: presence, unit: percent}
              - {id: avant_mars, count: "date_entree < '2025-03-01'"}
              - {id: q2, share: quartier, values: [2]}
    """
    results = run(tmp_path, body)
    source = results["data"]["suivi"]
    # "beaucoup" is not a percentage: quarantined with its value, never read as missing.
    assert source["failures"] == {"presence: type: number": 1}
    assert (source["rows_read"], source["rows_used"]) == (5, 4)
    assert indicator(results, "presence")["value"] == pytest.approx((0.45 + 0.8 + 0.125 + 1) / 4)
    assert indicator(results, "avant_mars")["value"] == 2  # 3 février ×2 (FR and EN)
    assert indicator(results, "q2")["count"] == 2


def test_ods_sheet(tmp_path):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("odf")
    pd.DataFrame({"id": ["a", "b", "c"], "score": [3, 4, 5]}).to_excel(
        tmp_path / "notes.ods", engine="odf", index=False
    )
    body = """
    data:
      notes:
        file: notes.ods
        columns: {id: {type: string}, score: {type: integer}}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators: [{id: score, mean: score}]
    """
    results = run(tmp_path, body)
    assert results["data"]["notes"]["format"] == "ods"
    assert indicator(results, "score")["value"] == pytest.approx(4.0)


def test_csv_title_line_and_header_named_differently(tmp_path):
    (tmp_path / "suivi.csv").write_text(
        "Suivi 2025 — export du tableur\nN° dossier;Âge en années\nd1;30\nd2;40\n",
        encoding="utf-8",
    )
    body = """
    data:
      suivi:
        file: suivi.csv
        skip_rows: 1
        rename: {"N° dossier": dossier}
        columns:
          dossier: {type: string}
          age: {type: integer, name: "Âge en années"}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators: [{id: age, mean: age}]
    """
    results = run(tmp_path, body)
    assert indicator(results, "age")["value"] == pytest.approx(35.0)
    assert results["data"]["suivi"]["undeclared_columns"] == []


def test_missing_header_names_the_file_header(tmp_path):
    from evalsoc.errors import DataReadError

    write_kobo_csv(tmp_path / "kobo.csv")
    body = KOBO_BODY.replace("name: identite/age", "name: identite/ages")
    with pytest.raises(DataReadError) as caught:
        run(tmp_path, body)
    assert "age (header 'identite/ages') (did you mean 'identite/age'?)" in str(caught.value)


def test_unknown_choice_is_quarantined_with_its_value(tmp_path):
    write_kobo_csv(tmp_path / "kobo.csv")
    text = (tmp_path / "kobo.csv").read_text(encoding="utf-8")
    (tmp_path / "kobo.csv").write_text(
        text.replace('"sport cuisine";', '"sport yoga";', 1), encoding="utf-8"
    )
    body = "policy: {max_invalid_share: 0.5}\n" + KOBO_BODY.replace("`identite/genre`", "genre")
    results = run(tmp_path, body)
    source = results["data"]["kobo"]
    check = "activites: multiple: each of sport, cuisine, numerique"
    assert source["failures"] == {check: 1} and source["rows_quarantined"] == 1
    assert reconciles(source)
