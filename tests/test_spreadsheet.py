"""CSV outputs open safely in a spreadsheet: no live formula, one row per row."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from evalsoc.outputs import quarantine_csv
from evalsoc.spreadsheet import csv_text, encode_like_source, neutralise


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://x.example","clic")', '\'=HYPERLINK("http://x.example","clic")'),
        ("+33 6 12 34 56 78", "'+33 6 12 34 56 78"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),
        ("-1,5", "-1,5"),
        ("+4.25", "+4.25"),
        ("-1e5", "-1e5"),
        ("Étang", "Étang"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise(cell, written):
    assert neutralise(cell) == written


def test_line_breaks_stay_in_their_row():
    rows = [["1", "sud\rbis"], ["2", "a\nb"], ["3", "c\r\nd"], ["4", "plain"]]
    text = csv_text(["_row", "value"], rows, ";")
    back = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert back == [["_row", "value"], *rows]
    frame = pd.read_csv(io.StringIO(text, newline=""), sep=";", dtype=str)
    assert len(frame) == 4 and frame["value"].tolist() == [r[1] for r in rows]


def test_encoding_follows_the_source_or_falls_back_to_utf8_bom():
    assert encode_like_source("Étang;é", "cp1252") == ("Étang;é".encode("cp1252"), "cp1252")
    data, used = encode_like_source("Ω", "cp1252")
    assert used == "utf-8-sig" and data == "\ufeffΩ".encode()


def test_quarantine_table_missing_cells_empty_and_numbers_kept():
    table = pd.DataFrame(
        {"_row": [3], "_column": ["age"], "_check": ["min 16"], "_value": ["-3"], "x": [None]}
    )
    data, used = quarantine_csv(table, ";", "utf-8")
    assert data.decode() == "_row;_column;_check;_value;x\r\n3;age;min 16;-3;\r\n"
