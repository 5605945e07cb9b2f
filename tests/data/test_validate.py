import pandas as pd

from evalsoc.data.csv_file import read_csv
from evalsoc.data.validate import validate_source
from evalsoc.framework.model import DataSource

SOURCE = DataSource.model_validate(
    {
        "file": "x.csv",
        "key": ["id", "wave"],
        "columns": {
            "id": {"type": "string"},
            "wave": {"type": "integer", "values": [0, 1]},
            "site": {"type": "category", "values": ["nord", "sud"]},
            "age": {"type": "integer", "min": 16, "max": 80},
            "income": {"type": "number", "nullable": True},
            "employed": {"type": "boolean"},
            "satisfaction": {"type": "likert", "levels": 5},
            "entry": {"type": "date"},
        },
    }
)


def _validate(tmp_path, text):
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    frame, info = read_csv(path)
    return validate_source("people", SOURCE, frame, info)


HEADER = "id;wave;site;age;income;employed;satisfaction;entry;note\n"


def test_clean_rows_are_typed(tmp_path):
    clean, report, quarantine = _validate(
        tmp_path, HEADER + "a;0;nord;30;1200,5;oui;4;2025-01-31;x\nb;1;sud;40;;Non;5;31/01/2025;y\n"
    )
    assert report.rows_read == 2 and report.rows_used == 2 and report.rows_quarantined == 0
    assert clean["employed"].tolist() == [True, False]
    assert str(clean["employed"].dtype) == "boolean"
    assert clean["income"].iloc[0] == 1200.5 and pd.isna(clean["income"].iloc[1])
    assert clean["entry"].tolist() == [pd.Timestamp("2025-01-31")] * 2
    assert report.undeclared_columns == ["note"]
    assert len(quarantine) == 0


def test_every_row_used_or_quarantined_with_reason(tmp_path):
    rows = [
        "a;0;nord;30;1000;oui;3;2025-01-01;",  # valid
        "b;0;ouest;30;1000;oui;3;2025-01-01;",  # unknown category
        "c;0;nord;12;1000;oui;3;2025-01-01;",  # below min
        "d;0;nord;30;mille;oui;3;2025-01-01;",  # not a number
        "e;0;nord;30;1000;peut-être;3;2025-01-01;",  # not a boolean
        "f;0;nord;30;1000;oui;9;2025-01-01;",  # outside likert scale
        "g;0;nord;30;1000;oui;3;2025-02-30;",  # impossible date
        "h;0;nord;;1000;oui;3;2025-01-01;",  # missing, not nullable
        "i;0;nord;30,5;1000;oui;3;2025-01-01;",  # not an integer
        "a;0;sud;31;1000;non;3;2025-01-01;",  # duplicate key with the first row
        "j;2;nord;30;1000;oui;3;2025-01-01;",  # wave not allowed
    ]
    clean, report, quarantine = _validate(tmp_path, HEADER + "\n".join(rows) + "\n")
    assert report.rows_read == 11
    assert report.rows_used + report.rows_quarantined == report.rows_read
    assert report.rows_used == 0 + 0  # first row shares its key with row 10: both refused
    assert report.rows_quarantined == 11
    checks = dict(zip(quarantine["_row"], quarantine["_check"]))
    assert checks[2] == "one of nord, sud"
    assert checks[3] == "min 16"
    assert checks[4] == "type: number"
    assert checks[5].startswith("type: boolean")
    assert checks[6] == "likert answer in 1..5"
    assert checks[7].startswith("type: date")
    assert checks[8] == "missing value (not nullable)"
    assert checks[9] == "type: integer"
    assert checks[10] == "duplicate key (id, wave)"
    assert checks[11] == "one of 0, 1"
    # the original values are kept
    assert quarantine.loc[quarantine["_row"] == 4, "_value"].item() == "mille"
    assert quarantine.loc[quarantine["_row"] == 4, "income"].item() == "mille"
    assert list(quarantine.columns[:4]) == ["_row", "_column", "_check", "_value"]


def test_column_entirely_missing_is_quarantined_when_not_nullable(tmp_path):
    clean, report, _ = _validate(
        tmp_path, HEADER + "a;0;nord;30;;oui;;2025-01-01;\nb;0;nord;30;;oui;;2025-01-01;\n"
    )
    assert report.rows_quarantined == 2
    assert report.failures == {"satisfaction: missing value (not nullable)": 2}


def test_declared_column_missing_from_file(tmp_path):
    import pytest

    from evalsoc.errors import DataReadError

    path = tmp_path / "x.csv"
    path.write_text("id;wave;sitte\na;0;nord\n", encoding="utf-8")
    frame, info = read_csv(path)
    with pytest.raises(DataReadError) as exc:
        validate_source("people", SOURCE, frame, info)
    assert "site (did you mean 'sitte'?)" in str(exc.value)


def test_unique_column_that_is_the_key_quarantines_duplicates_once(tmp_path):
    """`unique: true` on a one-column key: one check of uniqueness (the key's) since round 5 of
    issue 16; the quarantine is the one both checks gave (compared byte for byte with the
    earlier tree on this file, nullable or not, unique or not)."""
    source = DataSource.model_validate(
        {
            "file": "x.csv",
            "key": ["id"],
            "columns": {"id": {"type": "integer", "unique": True}, "x": {"type": "number"}},
        }
    )
    rows = "".join(f"{i};{i}\n" for i in range(1, 11)) + "2;4\n3;6\n3;7\n;8\nabc;3\n"
    path = tmp_path / "x.csv"
    path.write_text("id;x\n" + rows, encoding="utf-8")
    frame, info = read_csv(path)
    clean, report, quarantine = validate_source("people", source, frame, info)
    checks = list(zip(quarantine["_row"], quarantine["_check"]))
    assert checks == [
        (2, "duplicate key (id)"),
        (3, "duplicate key (id)"),
        (11, "duplicate key (id)"),
        (12, "duplicate key (id)"),
        (13, "duplicate key (id)"),
        (14, "missing value (not nullable)"),
        (15, "type: integer"),
    ]
    assert report.failures == {
        "id: duplicate key (id)": 5,
        "id: missing value (not nullable)": 1,
        "id: type: integer": 1,
    }
    assert report.rows_used == 8 and clean["id"].is_unique
