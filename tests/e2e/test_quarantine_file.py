"""The quarantine file of a French spreadsheet export: same delimiter and encoding as the
source, formula cells neutralised, one line per refused value, read back exactly."""

from __future__ import annotations

import csv
import io

import pandas as pd
from tests.conftest import MINI_FRAMEWORK, write
from tests.e2e.test_output_safety import evalsoc

# Windows-1252, `;`, CRLF line ends, as Excel saves "CSV (séparateur : point-virgule)".
HOSTILE = (
    "id;site;employed;income;age\r\n"
    "a1;nord;oui;1200,5;25\r\n"
    'a2;"=HYPERLINK(""http://x.example"",""clic"")";non;800;31\r\n'
    "a3;sud;oui;1500,25;-3\r\n"
    'a4;"sud\rbis";non;;52\r\n'
    "a5;Étang;oui;950;97\r\n"
    "a6;nord;oui;950;130\r\n"
    "a7;nord;@SUM(A1);950;40\r\n"
    "a8;sud;non;700;212\r\n"
)
# One quarantine line per (row, column) that failed: a2 site, a3 age, a4 site, a5 site and
# age, a6 age, a7 employed, a8 age.
EXPECTED_LINES = 8


def test_quarantine_file_is_safe_and_reads_back_exactly(tmp_path):
    (tmp_path / "people.csv").write_bytes(HOSTILE.encode("cp1252"))
    framework = write(
        tmp_path / "framework.yaml",
        MINI_FRAMEWORK.replace(
            "privacy: {min_cell: 1}", "privacy: {min_cell: 1}\npolicy: {max_invalid_share: 0.9}"
        ),
    )
    out = tmp_path / "out"
    proc = evalsoc("run", str(framework), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "people · age: max 80 — 3 rows, e.g. 97, 130, 212" in proc.stdout
    assert "people · age: min 16 — 1 row, e.g. -3" in proc.stdout
    assert "people · site: one of nord, sud — 3 rows, e.g. =HYPERLINK(" in proc.stdout
    assert "sud\\rbis" in proc.stdout  # a control character is shown, not sent to the terminal

    raw = (out / "invalid" / "people.csv").read_bytes()
    assert "Étang".encode("cp1252") in raw and "Étang".encode() not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("cp1252"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header == [
        "_row",
        "_column",
        "_check",
        "_value",
        "id",
        "site",
        "employed",
        "income",
        "age",
    ]
    assert len(body) == EXPECTED_LINES
    frame = pd.read_csv(
        io.BytesIO(raw), sep=";", encoding="cp1252", dtype=str, keep_default_na=False
    )
    assert len(frame) == EXPECTED_LINES
    by_id = {r["id"]: r for r in frame.to_dict("records")}
    assert by_id["a2"]["site"] == '\'=HYPERLINK("http://x.example","clic")'
    assert by_id["a2"]["_value"] == by_id["a2"]["site"]
    assert by_id["a3"]["_value"] == "-3" and by_id["a3"]["age"] == "-3"  # numbers stay numbers
    assert by_id["a4"]["site"] == "sud\rbis"
    assert by_id["a7"]["employed"] == "'@SUM(A1)"
    for row in body:  # no cell of the file starts a formula
        assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row)
        assert not any(cell.startswith("-") and cell != "-3" for cell in row)
