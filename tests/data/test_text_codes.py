"""data/text_codes.py: the dictionary codes of category-like text columns, found once (CSV:
by the first step that needs the column's distinct values; Parquet: read from the file) and
reused.

Every step that reuses the codes (boolean conversion, distinct values, kept rows, `by` codes)
gives what the hashing path gives: each test runs both (the codes switched off with
monkeypatch) and pins the values worked by hand on the file's cells.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import evalsoc.data.text_codes as text_codes
from evalsoc.data.read import read_table
from evalsoc.data.validate import validate_source
from evalsoc.engines.pandas import PandasEngine
from evalsoc.framework.expressions import parse_expression
from evalsoc.framework.model import DataSource
from evalsoc.sections.indicators.compute import MISSING_GROUP, factorize_column
from evalsoc.sections.row_codes import shared_text_codes

COLUMNS = {
    "id": {"type": "integer"},
    "site": {"type": "category", "values": ["nord", "sud", "Élan"], "nullable": True},
    "employed": {"type": "boolean", "nullable": True},
    "level": {"type": "ordinal", "values": ["bas", "haut"], "nullable": True},
}
# Missing cells (empty, NA), spellings that differ by spaces and case, a boolean word that is
# none (« peut-être »), a site outside the list (« est »), a non-ASCII label sorted after ASCII.
CSV = """id;site;employed;level
1;nord;oui;bas
2;sud; Non ;haut
3;;NA;bas
4;est;peut-être;
5;Élan;VRAI;haut
6;nord;;bas
7;sud;x;haut
8;NA;n;bas
"""


def _hashing(m) -> None:
    """No array has codes, none is made: every step hashes as before."""
    m.setattr(text_codes, "codes_of", lambda array: None)
    m.setattr(text_codes, "codes_for", lambda array: None)


def _source() -> DataSource:
    return DataSource.model_validate({"file": "x.csv", "key": ["id"], "columns": COLUMNS})


def _read(tmp_path, text: str = CSV):
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    return read_table(_source(), str(tmp_path))


def test_codes_of_a_text_column(tmp_path):
    frame, _ = _read(tmp_path)
    assert text_codes.codes_of(frame["site"].array) is None  # none until a step needs them
    coded = text_codes.codes_for(frame["site"].array)
    assert coded is not None and coded.values == ["nord", "sud", "est", "Élan"]
    assert coded.indices.tolist() == [0, 1, -1, 2, 3, 0, 1, -1]
    assert text_codes.codes_of(frame["site"].array) is coded
    copy = frame.reset_index(drop=True)  # another pandas array over the same Arrow data
    assert text_codes.codes_of(copy["site"].array) is coded
    assert text_codes.codes_for(pd.array([1, 2], dtype="Int64")) is None  # no Arrow text
    assert [coded.values[i] if i >= 0 else None for i in coded.indices] == [
        "nord",
        "sud",
        None,
        "est",
        "Élan",
        "nord",
        "sud",
        None,
    ]


def test_boolean_conversion_and_quarantine_match_the_hashing_path(tmp_path, monkeypatch):
    frame, info = _read(tmp_path)
    assert text_codes.codes_for(frame["employed"].array) is not None  # as a Parquet read has
    clean, report, quarantine = validate_source("people", _source(), frame, info)
    assert clean["employed"].tolist() == [True, False, pd.NA, True, pd.NA, True, False]
    assert clean["id"].tolist() == [1, 2, 3, 5, 6, 7, 8]  # row 4: « est », « peut-être »
    assert report.rows_quarantined == 1
    assert quarantine[["_row", "_column", "_value"]].values.tolist() == [
        [4, "employed", "peut-être"],
        [4, "site", "est"],
    ]
    assert quarantine["site"].tolist() == ["est", "est"]  # the original cells, as read
    assert quarantine["level"].tolist() == ["", ""]
    frame_h, info_h = _read(tmp_path)
    with monkeypatch.context() as m:
        _hashing(m)
        clean_h, report_h, quarantine_h = validate_source("people", _source(), frame_h, info_h)
    pd.testing.assert_frame_equal(clean, clean_h)
    pd.testing.assert_frame_equal(quarantine, quarantine_h)
    assert report.failures == report_h.failures


def test_kept_rows_keep_codes_without_the_quarantined_spelling(tmp_path):
    frame, info = _read(tmp_path)
    clean, _, _ = validate_source("people", _source(), frame, info)
    coded = text_codes.codes_of(clean["site"].array)  # made by the category check
    assert coded is not None and len(coded.indices) == len(clean)
    assert "est" in coded.values  # an unused dictionary entry ...
    codes, values = factorize_column(clean["site"])
    assert values == ["nord", "sud", "Élan", MISSING_GROUP]  # ... is no group
    assert codes.tolist() == [0, 1, 3, 2, 0, 1, 3]


@pytest.mark.parametrize("column", ["site", "level", "employed"])
def test_factorize_column_is_pandas_sorted_factorize(tmp_path, column):
    frame, _ = _read(tmp_path)
    assert text_codes.codes_for(frame[column].array) is not None
    codes, values = factorize_column(frame[column])
    expected, uniques = pd.factorize(frame[column], sort=True, use_na_sentinel=True)
    expected_values = list(uniques)
    if (expected < 0).any():
        expected = np.where(expected < 0, len(expected_values), expected)
        expected_values.append(MISSING_GROUP)
    assert codes.tolist() == expected.tolist()
    assert values == expected_values


def test_engine_groups_of_a_where_from_the_source_codes(tmp_path, monkeypatch):
    frame, info = _read(tmp_path)
    clean, _, _ = validate_source("people", _source(), frame, info)
    where = parse_expression("level == 'bas'")
    codes, groups = PandasEngine({"d": clean}).groups("d", where, ["site"])
    # level bas: ids 1 (nord), 3 (missing), 6 (nord), 8 (missing): « sud », « Élan » unused.
    assert codes.tolist() == [0, 1, 0, 1]
    assert groups["site"].tolist() == ["nord", MISSING_GROUP]
    _hashing(monkeypatch)
    codes_h, groups_h = PandasEngine({"d": clean}).groups("d", where, ["site"])
    assert codes_h.tolist() == codes.tolist()
    pd.testing.assert_frame_equal(groups, groups_h)


def test_shared_row_codes_from_the_dictionary(tmp_path):
    frame, info = _read(tmp_path)
    clean, _, _ = validate_source("people", _source(), frame, info)
    rows = clean[clean["id"] > 4]["site"]  # ids 5 Élan, 6 nord, 7 sud, 8 missing
    codes = shared_text_codes(clean, "site", rows)
    assert codes is not None and codes.tolist() == [2, 0, 1, -1]


def test_distinct_values_are_the_used_ones(tmp_path):
    from evalsoc.data.convert import distinct_text

    frame, _ = _read(tmp_path)
    values = distinct_text(frame["site"])
    assert sorted(v for v in values if isinstance(v, str)) == ["est", "nord", "sud", "Élan"]
    assert sum(pd.isna(v) for v in values) == 1


def test_an_assigned_cell_drops_the_codes(tmp_path):
    frame, _ = _read(tmp_path)
    array = frame["site"].array
    assert text_codes.codes_for(array) is not None
    array[3] = "nord"  # « est » no longer in the column
    assert text_codes.codes_of(array) is None
    assert factorize_column(pd.Series(array))[1] == ["nord", "sud", "Élan", MISSING_GROUP]


def test_a_file_without_rows_keeps_empty_codes(tmp_path):
    frame, info = _read(tmp_path, "id;site;employed;level\n")
    coded = text_codes.codes_for(frame["site"].array)
    assert coded is not None and coded.indices.size == 0 and coded.values == []
    clean, report, _ = validate_source("people", _source(), frame, info)
    assert len(clean) == 0 and report.rows_quarantined == 0
    assert factorize_column(clean["site"])[1] == []


def test_several_blocks_share_one_dictionary(tmp_path):
    """Arrow reads a file in blocks (about 1 MB): a column of several chunks, whose labels
    appear in a different order in each, gets one dictionary."""
    rng = np.random.default_rng(3)
    labels = np.array(["nord", "sud", "Élan", ""])
    n = 120_000
    sites = labels[rng.integers(0, 4, n)]
    sites[: n // 2] = np.where(sites[: n // 2] == "nord", "sud", sites[: n // 2])  # nord later
    lines = ["id;site;employed;level"] + [f"{i};{s};oui;bas" for i, s in enumerate(sites)]
    frame, _ = _read(tmp_path, "\n".join(lines) + "\n")
    assert frame["site"].array._pa_array.num_chunks > 1
    assert text_codes.codes_for(frame["site"].array) is not None
    codes, values = factorize_column(frame["site"])
    assert values == ["nord", "sud", "Élan", MISSING_GROUP]
    expected = {"nord": 0, "sud": 1, "Élan": 2, "": 3}
    assert codes.tolist() == [expected[s] for s in sites]


def test_an_integer_with_values_converts_each_spelling_once(tmp_path, monkeypatch):
    """A text column with codes (a Parquet file's waves) is converted once per spelling; 2,000
    rows take the distinct-values path of convert.by_distinct (from 1,000 rows on)."""
    spellings = ["0", "1", " 1", "", "2", "x", "007"]
    waves = [spellings[i % len(spellings)] for i in range(2000)]
    lines = ["id;site;employed;level;wave"] + [f"{i};nord;oui;bas;{w}" for i, w in enumerate(waves)]
    path = tmp_path / "x.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = {**COLUMNS, "wave": {"type": "integer", "values": [0, 1], "nullable": True}}
    source = DataSource.model_validate({"file": "x.csv", "key": ["id"], "columns": columns})
    frame, info = read_table(source, str(tmp_path))
    assert text_codes.codes_for(frame["wave"].array) is not None
    clean, report, quarantine = validate_source("people", source, frame, info)
    # 2,000 rows = 7 × 285 + 5: the first five spellings 286 times. « x » cannot be a whole
    # number; 2 and 7 (« 007 ») are not among the values.
    assert report.failures == {
        "wave: type: integer": 285,
        "wave: one of 0, 1": 571,  # 286 « 2 » + 285 « 007 »
    }
    assert clean["wave"].value_counts(dropna=False).to_dict() == {0: 286, 1: 572, pd.NA: 286}
    frame_h, info_h = read_table(source, str(tmp_path))
    with monkeypatch.context() as m:
        _hashing(m)
        clean_h, report_h, quarantine_h = validate_source("people", source, frame_h, info_h)
    pd.testing.assert_frame_equal(clean, clean_h)
    pd.testing.assert_frame_equal(quarantine, quarantine_h)
    assert report.failures == report_h.failures
