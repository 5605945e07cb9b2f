"""Parquet sources read by Spark itself (data/spark_intake.py): the clean rows, their dtypes and
row labels, the quarantine file's bytes and the report are the pandas intake's, on files with
failing checks of each kind, gaps, NaN beside NULL in doubles, duplicate keys, rows of missing
cells only, an empty file and a file whose every row fails; the pandas reader is not called
for such a source; a source Spark cannot read exactly goes to the pandas intake, said why.

One local session for the test session (engines/spark_session.py keeps it): the first test
pays the JVM's start. Skipped where pyspark or Java is missing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip(
    "pyspark", reason="the Spark intake needs pyspark: pip install 'evalsoc[spark]'"
)

from evalsoc.engines.spark_session import java_found  # noqa: E402

if not java_found():
    pytest.skip("the Spark intake needs Java 17+", allow_module_level=True)

pytestmark = pytest.mark.slow  # a JVM and several Spark jobs per test


def _framework(folder: Path, columns: str, key: str = "", file: str = "people.parquet") -> Path:
    framework = folder / "framework.yaml"
    framework.write_text(
        f"""evalsoc: 1
id: t
title: {{fr: T, en: T}}
language: fr
engine: {{name: pandas, threads: 1}}
data:
  people:
    file: {file}
    max_invalid_share: 1
{key}    columns:
{columns}
dimensions: []
""",
        encoding="utf-8",
    )
    return framework


def _load(framework: Path, engine: str) -> tuple[dict, dict, dict, list[str]]:
    from evalsoc.data.intake import load_sources
    from evalsoc.engines.choice import choose_engine
    from evalsoc.framework.load import load_framework

    loaded = load_framework(framework)
    said: list[str] = []
    frames, reports, quarantines = load_sources(loaded, said.append, choose_engine(loaded, engine))
    return frames, reports, quarantines, said


def assert_same_intake(framework: Path, in_spark: bool = True) -> tuple[dict, dict, list[str]]:
    """Spark's intake against the pandas intake: (Spark's reports, quarantines, progress)."""
    from evalsoc.engines.spark_sources import SparkTable

    frames, reports, quarantines, _ = _load(framework, "pandas")
    tables, spark_reports, spark_quarantines, said = _load(framework, "spark")
    for name, frame in frames.items():
        table = tables[name]
        assert isinstance(table, SparkTable) is in_spark, said
        read = table.to_pandas() if in_spark else table
        assert dict(read.dtypes) == dict(frame.dtypes)
        assert list(read.index) == list(frame.index)
        pd.testing.assert_frame_equal(read, frame)
        assert len(table) == len(frame)
        if in_spark:  # the engine's row positions: 0..n-1 over the kept rows, in file order
            positions = [r[0] for r in table.data.select("_row").orderBy("_file_row").collect()]
            assert positions == list(range(len(frame)))
        expected = quarantines[name].to_csv(index=False)
        assert spark_quarantines[name].to_csv(index=False) == expected
        assert spark_reports[name].as_dict() == reports[name].as_dict()
        assert spark_reports[name].first_rows == reports[name].first_rows
    return spark_reports, spark_quarantines, said


COLUMNS = (
    "      id: {type: integer}\n"
    "      code: {type: integer, nullable: true, values: [0, 1, 2, 3]}\n"
    "      amount: {type: number, nullable: true, min: 0, max: 140}\n"
    "      score: {type: number, nullable: false, values: [1, 2, 3.5]}\n"
    "      site: {type: category, values: [nord, sud], nullable: true}\n"
    "      employed: {type: boolean, nullable: false}\n"
    "      entered: {type: date, nullable: false}\n"
    "      label: {type: string, nullable: false}\n"
    "      ref: {type: string, unique: true}\n"
    "      seq: {type: integer, unique: true, nullable: true, min: 0}\n"
    "      answer: {type: likert, levels: 5}\n"
    "      mood: {type: likert, levels: 4, nullable: true}\n"
)


def _typed_frame(n: int = 200) -> pd.DataFrame:
    """Typed columns with gaps, NaN beside NULL, infinities, bad values and duplicates."""
    import datetime

    i = np.arange(n)
    amount = np.where(i % 13 == 0, np.nan, i * 0.75 - 2.0)  # NaN missing; < 0 and > 140 fail
    amount[[11, 12]] = [np.inf, -np.inf]  # not measurements: a conversion failure
    frame = pd.DataFrame(
        {
            "id": i + (i == 7) * -6,  # row 7 repeats id 1: a duplicate key
            "code": pd.array([None if k % 11 == 0 else int(k % 5) for k in i], dtype="Int64"),
            "amount": amount,
            "score": np.where(i % 17 == 0, np.nan, (i % 4) * 1.0 + (i % 4 == 3) * 0.5),
            "ratio": np.where(i % 19 == 0, np.nan, (i % 9) / 4),  # undeclared double
            "visits": i % 7,  # undeclared integer
            "site": np.where(i % 3, "sud", "nord").astype(object),
            "employed": pd.array([None if k % 23 == 4 else bool(k % 2) for k in i], "boolean"),
            "entered": [
                None if k % 37 == 2 else datetime.date(2024, 1, 1) + datetime.timedelta(int(k))
                for k in i
            ],
            "label": [None if k % 29 == 0 else f"l{k % 40}" for k in i],
            "ref": [f"r{k if k != 20 else 3}" for k in i],  # row 20 repeats row 3's
            "seq": pd.array([None if k % 10 == 1 else int(k % 150) for k in i], dtype="Int64"),
            "answer": (i % 7).astype("int64"),  # likert 1..5: 0 and 6 fail
            "mood": np.where(i % 41 == 0, np.nan, np.where(i % 43 == 1, 2.5, i % 4 + 1.0)),
        }
    )
    frame.loc[frame.index % 31 == 5, "site"] = "ouest"  # not an allowed value
    frame.loc[frame.index == 9, ["amount", "score", "label", "site"]] = None
    return frame


def _write(frame: pd.DataFrame, path: Path, empty_rows: tuple[int, ...] = ()) -> None:
    """`frame` as Parquet through pyarrow, with rows of missing cells only at `empty_rows`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    if empty_rows:
        nulls = pa.Table.from_pylist([{}] * len(empty_rows), schema=table.schema)
        parts, start = [], 0
        for position, row in enumerate(sorted(empty_rows)):
            parts.append(table.slice(start, row - position - start))
            parts.append(nulls.slice(position, 1))
            start = row - position
        parts.append(table.slice(start))
        table = pa.concat_tables(parts)
    pq.write_table(table, path, row_group_size=64)  # several row groups: positions span them


def test_typed_parquet_with_failures_of_each_kind(tmp_path: Path, monkeypatch) -> None:
    _write(_typed_frame(), tmp_path / "people.parquet", empty_rows=(0, 50, 201))
    framework = _framework(tmp_path, COLUMNS, "    key: [id]\n")
    import evalsoc.data.read as read

    def refused(*args, **kwargs):
        raise AssertionError("the pandas reader was called for a source Spark reads")

    pandas_reader = read.read_table
    monkeypatch.setattr(read, "read_table", refused)
    with pytest.raises(AssertionError, match="pandas reader was called"):
        _load(framework, "pandas")  # the guard works
    _, _, _, said = _load(framework, "spark")
    assert any("people (people.parquet) in Spark" in line for line in said), said
    monkeypatch.setattr(read, "read_table", pandas_reader)

    reports, quarantines, _ = assert_same_intake(framework)
    report = reports["people"]
    # Not vacuous: every kind of failure is there, and the rows add up.
    failures = report.failures
    for expected in (
        "id: duplicate key (id)",
        "amount: type: number",
        "amount: min 0",
        "amount: max 140",
        "code: one of 0, 1, 2, 3",
        "score: missing value (not nullable)",
        "score: one of 1, 2, 3.5",
        "site: one of nord, sud",
        "employed: missing value (not nullable)",
        "entered: missing value (not nullable)",
        "label: missing value (not nullable)",
        "ref: duplicate value (unique)",
        "seq: duplicate value (unique)",
        "answer: likert answer in 1..5",
        "mood: likert answer in 1..4",
    ):
        assert failures.get(expected, 0) > 0, (expected, failures)
    assert report.rows_read == 200  # the three empty rows skipped, with a note
    assert report.rows_used + report.rows_quarantined == 200
    assert "3 empty row(s) (only delimiters) skipped" in report.as_dict()["notes"]
    # NaN and NULL are both missing: row 9 (NULL) and row 13 (NaN) pass amount's checks.
    assert failures["amount: type: number"] == 2


def test_a_key_of_two_columns_with_gaps(tmp_path: Path) -> None:
    """Missing equals missing in a key (pandas' duplicated), only present values listed."""
    frame = pd.DataFrame(
        {
            "person": pd.array([1, 1, 2, 2, None, None, 3, 4], dtype="Int64"),
            "wave": ["a", "a", "a", "b", None, None, "a", None],
            "x": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0, None, 8.0],
        }
    )
    _write(frame, tmp_path / "people.parquet")
    columns = (
        "      person: {type: integer, nullable: true}\n"
        "      wave: {type: string, nullable: true}\n"
        "      x: {type: number, nullable: true}\n"
    )
    reports, quarantines, _ = assert_same_intake(
        _framework(tmp_path, columns, "    key: [person, wave]\n")
    )
    # Rows 0 and 1 repeat (1, a). Rows 4 and 5 repeat a key of missing values only: pandas'
    # `duplicated` finds them, but pandera lists only present values, so no failure is left.
    assert reports["people"].rows_quarantined == 2


def test_an_empty_file_and_a_file_whose_every_row_fails(tmp_path: Path) -> None:
    columns = "      n: {type: integer, min: 10}\n      s: {type: string, nullable: false}\n"
    empty = pd.DataFrame({"n": pd.Series([], dtype="int64"), "s": pd.Series([], dtype="str")})
    _write(empty, tmp_path / "people.parquet")
    reports, _, _ = assert_same_intake(_framework(tmp_path, columns))
    assert reports["people"].rows_read == 0

    failing = pd.DataFrame({"n": [1, 2, 3, 4], "s": ["a", None, "c", None]})
    _write(failing, tmp_path / "people.parquet")
    reports, quarantines, _ = assert_same_intake(_framework(tmp_path, columns))
    assert reports["people"].rows_used == 0 and reports["people"].rows_quarantined == 4
    assert len(quarantines["people"]) == 6  # four below the minimum, two missing texts


def test_what_spark_cannot_reproduce_goes_to_the_pandas_intake(tmp_path: Path) -> None:
    """Texts the pandas intake strips, in Parquet or CSV: read in memory, said why, same results."""
    frame = pd.DataFrame({"site": [" nord", "sud", "nord\u00a0", "sud"], "n": [1, 2, 3, 4]})
    _write(frame, tmp_path / "people.parquet")
    columns = "      site: {type: category, values: [nord, sud]}\n      n: {type: integer}\n"
    _, _, said = assert_same_intake(_framework(tmp_path, columns), in_spark=False)
    assert any("spaces around them" in line and "pandas intake" in line for line in said), said

    frame.to_csv(tmp_path / "people.csv", index=False)
    _, _, said = assert_same_intake(
        _framework(tmp_path, columns, file="people.csv"), in_spark=False
    )
    assert any("spaces around them" in line and "pandas intake" in line for line in said), said


def _participants(folder: Path, rows: int = 400, seed: int = 5) -> Path:
    """A seeded typed Parquet file with gaps, NaN, failing rows and a duplicate key, and nine
    indicators over it (by-groups, medians, filters that keep missing values, shares, rates)."""
    rng = np.random.default_rng(seed)

    def holes(values: np.ndarray) -> pd.Series:
        out = pd.Series(values)
        return out.mask(rng.random(rows) < 0.1)

    income = rng.lognormal(7, 0.5, rows).round(2)
    income[rng.random(rows) < 0.05] = np.nan  # NaN beside the NULL gaps below
    income[3] = -1.0  # below the minimum: quarantined
    frame = pd.DataFrame(
        {
            "id": np.arange(rows) - (np.arange(rows) == 8) * 8,  # row 8 repeats id 0
            "site": holes(rng.choice(["Nord", "Sud", "Étang"], rows)),
            "sexe": rng.choice(["F", "H"], rows),
            "income": holes(income),
            "weeks": pd.array(holes(rng.integers(1, 30, rows)), dtype="Int64"),
            "score": holes(rng.integers(1, 6, rows).astype(float)),
            "employed": pd.array(holes(rng.random(rows) < 0.5), dtype="boolean"),
        }
    )
    _write(frame, folder / "people.parquet")
    indicators = [
        "{id: m, mean: income, by: [site]}",
        "{id: med, median: income, by: [site, sexe]}",
        "{id: med_all, median: weeks}",
        '{id: p, proportion: employed, by: [sexe], where: "not (weeks > 20)"}',
        "{id: p2, proportion: \"score >= 4 and site != 'Sud'\", by: [site]}",
        "{id: s, share: score, values: [4, 5], by: [sexe]}",
        "{id: r, rate: [income, weeks], by: [site]}",
        '{id: c, count: "employed == true", by: [site]}',
        "{id: t, sum: weeks, by: [sexe]}",
    ]
    text = "\n".join(
        [
            "evalsoc: 1",
            "id: generated",
            "title: generated",
            "privacy: {min_cell: 5}",
            "engine: {threads: 1}",
            "data:",
            "  people:",
            "    file: people.parquet",
            "    key: [id]",
            "    columns:",
            "      id: {type: integer}",
            "      site: {type: category, values: [Sud, Nord, Étang], nullable: true}",
            "      sexe: {type: category, values: [F, H]}",
            "      income: {type: number, min: 0, nullable: true}",
            "      weeks: {type: integer, nullable: true}",
            "      score: {type: number, nullable: true, values: [1, 2, 3, 4, 5]}",
            "      employed: {type: boolean, nullable: true}",
            "dimensions:",
            "  - id: d1",
            "    criteria:",
            "      - id: c1",
            "        indicators:",
            *[f"          - {item}" for item in indicators],
            "",
        ]
    )
    (folder / "generated.yaml").write_text(text, encoding="utf-8")
    return folder / "generated.yaml"


def test_a_run_on_a_spark_read_source_equals_the_pandas_run(tmp_path: Path, monkeypatch) -> None:
    """results.json (within 1e-9 relative) and the quarantine file's bytes, the source read by
    Spark alone (the pandas reader refused during the Spark run)."""
    from tests.engines.results_equality import differences, run_engine

    import evalsoc.data.read as read

    framework = _participants(tmp_path)
    expected = run_engine(framework, "pandas", tmp_path / "pandas")

    def refused(*args, **kwargs):
        raise AssertionError("the pandas reader was called for a source Spark reads")

    monkeypatch.setattr(read, "read_table", refused)
    got = run_engine(framework, "spark", tmp_path / "spark")
    assert differences(expected, got) == []
    invalid = sorted(p.name for p in (tmp_path / "pandas" / "invalid").iterdir())
    assert invalid and invalid == sorted(p.name for p in (tmp_path / "spark" / "invalid").iterdir())
    for name in invalid:
        pandas_file = (tmp_path / "pandas" / "invalid" / name).read_bytes()
        assert (tmp_path / "spark" / "invalid" / name).read_bytes() == pandas_file
    people = expected["data"]["people"]
    # Rows 0 and 8 share id 0 (both quarantined), row 3's income is below the minimum.
    assert people["rows_quarantined"] == 3 and people["rows_used"] == 397
    assert len(expected["indicators"]["med"]["by"]) >= 6  # groups to compare


def test_booleans_stored_as_words_are_converted_in_spark(tmp_path: Path, monkeypatch) -> None:
    """A register exporting its answers as words (`oui`/`non`, bench_scale's Parquet file):
    read by Spark (no longer the pandas intake on the driver), each spelling converted as
    data/convert.py converts it, a word that is no boolean quarantined with its text."""
    import evalsoc.data.read as read

    words = ["oui", "non", "Oui", "NON", "vrai", "faux", "yes", "no", "1", "0", "true", "False"]
    rows = 60
    frame = pd.DataFrame(
        {
            "id": np.arange(rows),
            "employed": [None if k % 11 == 3 else words[k % len(words)] for k in range(rows)],
            "housed": [
                "peut-être" if k in (7, 40) else ("oui" if k % 3 else "non") for k in range(rows)
            ],
            "n": np.arange(rows) % 5,
        }
    )
    _write(frame, tmp_path / "people.parquet")
    columns = (
        "      id: {type: integer}\n"
        "      employed: {type: boolean, nullable: true}\n"
        "      housed: {type: boolean, nullable: false}\n"
        "      n: {type: integer}\n"
    )
    framework = _framework(tmp_path, columns, "    key: [id]\n")

    def refused(*args, **kwargs):
        raise AssertionError("the pandas reader was called for a source Spark reads")

    pandas_reader = read.read_table
    monkeypatch.setattr(read, "read_table", refused)
    _, _, _, said = _load(framework, "spark")
    assert any("people (people.parquet) in Spark" in line for line in said), said
    monkeypatch.setattr(read, "read_table", pandas_reader)

    reports, quarantines, _ = assert_same_intake(framework)
    report = reports["people"]
    # Not vacuous: the two words that are no boolean fail, with their text; the gaps pass.
    assert report.failures == {"housed: type: boolean (oui/non, vrai/faux, yes/no, 1/0)": 2}
    assert report.rows_quarantined == 2 and report.rows_used == rows - 2
    assert list(quarantines["people"]["_value"]) == ["peut-être", "peut-être"]
    table, _, _, _ = _load(framework, "spark")
    employed = table["people"].to_pandas()["employed"]
    assert int(employed.isna().sum()) == 6  # rows 3, 14, 25, 36, 47, 58: missing, not failed
    assert list(employed.iloc[:4]) == [True, False, True, pd.NA]  # oui, non, Oui, (missing)
