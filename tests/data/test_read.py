import pandas as pd
import pytest

from evalsoc.data.csv_file import read_csv
from evalsoc.errors import DataReadError


def test_windows_1252_semicolon_decimal_comma(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "nom;ville;revenu\r\nHélène;Saint-Étienne;1234,56\r\nJosé;Orléans;987,5\r\n".encode(
            "cp1252"
        )
    )
    frame, info = read_csv(path)
    assert (info.encoding, info.delimiter, info.decimal) == ("cp1252", ";", ",")
    assert frame["nom"].tolist() == ["Hélène", "José"]
    assert frame["ville"].tolist() == ["Saint-Étienne", "Orléans"]
    assert frame["revenu"].tolist() == [1234.56, 987.5]


def test_utf8_with_bom_and_comma_delimiter(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,score\nA,1.5\nB,2\n".encode())
    frame, info = read_csv(path)
    assert info.encoding == "utf-8-sig"
    assert list(frame.columns) == ["id", "score"]  # no BOM glued to the first name
    assert frame["score"].tolist() == [1.5, 2.0]


def test_explicit_override_wins(tmp_path):
    path = tmp_path / "pipe.csv"
    path.write_text("a|b\n1|2\n", encoding="utf-8")
    frame, info = read_csv(path, delimiter="|")
    assert frame.shape == (1, 2)


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataReadError, match="empty"):
        read_csv(path)


def test_header_only_file_reads_zero_rows(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("id;age\n", encoding="utf-8")
    frame, info = read_csv(path)
    assert info.rows_read == 0 and list(frame.columns) == ["id", "age"]


def test_ragged_line_is_explained(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a;b\n1;2\n3;4;5\n", encoding="utf-8")
    with pytest.raises(DataReadError, match="fields where the header has"):
        read_csv(path)


def test_string_columns_keep_leading_zeros(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("code;n\n007;1\n010;2\n", encoding="utf-8")
    frame, _ = read_csv(path, string_columns=["code"])
    assert frame["code"].tolist() == ["007", "010"]


def test_sha256_is_of_file_bytes(tmp_path):
    import hashlib

    path = tmp_path / "h.csv"
    path.write_bytes(b"a,b\n1,2\n")
    _, info = read_csv(path)
    assert info.sha256 == hashlib.sha256(b"a,b\n1,2\n").hexdigest()


def test_xlsx_and_parquet(tmp_path):
    from evalsoc.data.read import read_table
    from evalsoc.framework.model import DataSource

    frame = pd.DataFrame({"id": ["a", "b"], "x": [1.5, 2.5]})
    frame.to_excel(tmp_path / "d.xlsx", sheet_name="Réponses", index=False)
    frame.to_parquet(tmp_path / "d.parquet")
    xl, info = read_table(DataSource(file="d.xlsx", sheet="Réponses"), str(tmp_path))
    assert info.format == "xlsx" and xl["x"].tolist() == [1.5, 2.5]
    pq, info = read_table(DataSource(file="d.parquet"), str(tmp_path))
    assert info.format == "parquet" and pq["id"].tolist() == ["a", "b"]


def test_missing_file_names_the_path(tmp_path):
    from evalsoc.data.read import read_table
    from evalsoc.framework.model import DataSource

    with pytest.raises(DataReadError, match="not found"):
        read_table(DataSource(file="absent.csv"), str(tmp_path))


def test_windows_1252_detected_past_the_first_block(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(b"a;b\n" + b"x;1\n" * 30000 + "é;2\n".encode("cp1252"))
    frame, info = read_csv(path)
    assert info.encoding == "cp1252"
    assert frame["a"].iloc[-1] == "é" and len(frame) == 30001


def test_line_break_inside_quotes_past_the_first_block(tmp_path):
    path = tmp_path / "late_quotes.csv"
    path.write_bytes(b"a;b\n" + b"x;1\n" * 30000 + b'"deux\nlignes";2\n')
    frame, _ = read_csv(path)
    assert len(frame) == 30001 and frame["a"].iloc[-1] == "deux\nlignes"


def test_trailing_empty_columns_and_delimiter_only_rows(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text("a;b;;\n1;2;;\n;;;\n3;4;;\n", encoding="utf-8")
    frame, info = read_csv(path)
    assert list(frame.columns) == ["a", "b"]
    assert info.rows_read == 2 and frame["a"].tolist() == [1, 3]
    assert frame.index.tolist() == [0, 2]  # rows keep their number in the file
    assert any("empty row" in n["en"] and "ligne(s) vide(s)" in n["fr"] for n in info.notes)


def test_numbers_with_thousands_points_and_infinite_values(tmp_path):
    from evalsoc.data.validate import validate_source
    from evalsoc.framework.model import DataSource

    path = tmp_path / "n.csv"
    path.write_text(
        "id;x;k\na;1.234,56;1\nb;995,44;2\nc;inf;3\nd;12;99999999999999999999\n", encoding="utf-8"
    )
    source = DataSource.model_validate(
        {"file": "n.csv", "columns": {"x": {"type": "number"}, "k": {"type": "integer"}}}
    )
    frame, info = read_csv(path)
    clean, report, quarantine = validate_source("n", source, frame, info)
    assert clean["x"].tolist() == [1234.56, 995.44]
    assert report.failures == {"k: type: integer": 1, "x: type: number": 1}


def test_utf16_export(tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes("nom;âge\nÉlise;34\n".encode("utf-16"))
    frame, info = read_csv(path)
    assert info.encoding == "utf-16" and frame["âge"].tolist() == [34]
