"""CSV sources read by Spark itself (data/spark_csv.py): the clean rows, their dtypes and row
labels, the quarantine file's bytes and the report are the pandas intake's on generated files
(decimal comma, semicolons, Latin-1, quoted delimiters, blank lines, rows of delimiters only,
every kind of conversion failure, a header only, every row failing, several blocks read in
parallel, a quoted line break); the pandas reader is not called for such a source; what Spark
would read differently goes to the pandas intake, said why.

Skipped where pyspark or Java is missing; slow (a JVM and several Spark jobs per test).
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

from tests.data.test_spark_intake import _framework, _load, assert_same_intake  # noqa: E402

pytestmark = pytest.mark.slow

COLUMNS = (
    "      id: {type: integer}\n"
    "      site: {type: category, values: [nord, sud]}\n"
    "      code: {type: category, values: [1, 2, 3], nullable: true}\n"
    "      amount: {type: number, nullable: true, min: 0}\n"
    "      weeks: {type: integer, nullable: true, max: 40}\n"
    "      entered: {type: date, nullable: true}\n"
    "      employed: {type: boolean, nullable: true}\n"
    "      answer: {type: likert, levels: 5, nullable: true}\n"
    "      label: {type: string, nullable: false}\n"
    "      ref: {type: string, unique: true, nullable: true}\n"
)


def _people(rows: int, seed: int = 7) -> pd.DataFrame:
    """Text cells with every kind of conversion failure, gaps, NA spellings and duplicates."""
    rng = np.random.default_rng(seed)
    i = np.arange(rows)
    amount = [f"{v:.2f}".replace(".", ",") for v in rng.normal(50, 30, rows)]
    words = ["abc", "1 000,5", "douze", "NA", "", "-0,5", "N/A"]
    dates = [
        "2024-01-05",
        "05/02/2024",
        "2024-02-30",
        "le 3 mars 2024",
        "3 mars 2024",
        "demain",
        "",
    ]
    bools = ["oui", "non", "vrai", "FAUX", "yes", "0", "1", "peut-être", "", "NR"]
    frame = pd.DataFrame(
        {
            "id": [str(k) if k != 9 else "3" for k in i],  # row 9 repeats id 3
            "site": rng.choice(["nord", "sud", "ouest", "su;d", "nord"], rows),
            "code": rng.choice(["1", "2", "3.0", "4", "", "2.5"], rows),
            "amount": [words[k % 7] if k % 5 == 0 else a for k, a in zip(i, amount, strict=True)],
            "weeks": rng.choice(["3", "41", "12", "1.5", "x", "", "-2", "007"], rows),
            "entered": [dates[k % 7] for k in i],
            "employed": [bools[k % 10] for k in i],
            "answer": rng.choice(["1", "5", "6", "2", "", "3"], rows),
            "label": [f"libellé {k % 9}" if k % 17 else "" for k in i],
            "ref": [f"r{k}" if k != 11 else "r4" for k in i],
            "ratio": [f"{k / 8:.3f}".replace(".", ",") for k in i],  # undeclared decimals
            "visits": (i % 7).astype(str),  # undeclared integers
            "city": rng.choice(["Lyon", "Évry", "Saint-Étienne"], rows),  # undeclared text
        }
    )
    return frame


def _write(frame: pd.DataFrame, path: Path, blank_after: tuple[int, ...] = ()) -> None:
    """Semicolons, Latin-1, quotes only where a cell holds the delimiter, blank lines and rows
    of delimiters only after the given rows."""
    lines = [";".join(frame.columns)]
    for k, row in enumerate(frame.itertuples(index=False)):
        lines.append(";".join(f'"{v}"' if ";" in v else v for v in row))
        if k in blank_after:
            lines.extend(["", ";" * (len(frame.columns) - 1)])
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))


def _refuse_pandas_reader(monkeypatch) -> None:
    import evalsoc.data.read as read

    def refused(*args, **kwargs):
        raise AssertionError("the pandas reader was called for a source Spark reads")

    monkeypatch.setattr(read, "read_table", refused)


def test_a_french_csv_with_failures_of_each_kind(tmp_path: Path, monkeypatch) -> None:
    _write(_people(300), tmp_path / "people.csv", blank_after=(0, 120, 299))
    framework = _framework(tmp_path, COLUMNS, "    key: [id]\n", file="people.csv")
    with monkeypatch.context() as patched:
        _refuse_pandas_reader(patched)
        _, _, _, said = _load(framework, "spark")
    assert any("people (people.csv) in Spark" in line for line in said), said

    reports, quarantines, _ = assert_same_intake(framework)
    report = reports["people"].as_dict()
    assert (report["encoding"], report["delimiter"], report["decimal"]) == ("cp1252", ";", ",")
    failures = report["failures"]
    for expected in (
        "id: duplicate key (id)",
        "site: one of nord, sud",
        "code: one of 1, 2, 3",
        "amount: type: number",
        "amount: min 0",
        "weeks: type: integer",
        "weeks: max 40",
        "entered: type: date (YYYY-MM-DD or DD/MM/YYYY)",
        "employed: type: boolean (oui/non, vrai/faux, yes/no, 1/0)",
        "answer: likert answer in 1..5",
        "label: missing value (not nullable)",
        "ref: duplicate value (unique)",
    ):
        assert failures.get(expected, 0) > 0, (expected, failures)
    assert report["rows_read"] == 300  # the three rows of delimiters skipped, with a note
    assert report["rows_used"] + report["rows_quarantined"] == 300
    assert "3 empty row(s) (only delimiters) skipped" in report["notes"]
    # Hand-counted: amount is words[k % 7] on every fifth row, so "abc" where k % 35 == 0 and
    # "douze" where k % 35 == 30 ("1 000,5" is a number); "2024-02-30", "le 3 mars 2024"
    # (words_to_iso reads "3 mars 2024", not with "le") and "demain" every seventh row from
    # 2, 3 and 5; "peut-être" every tenth row from 7.
    assert failures["amount: type: number"] == len([k for k in range(300) if k % 35 in (0, 30)])
    assert failures["entered: type: date (YYYY-MM-DD or DD/MM/YYYY)"] == len(
        [k for k in range(300) if k % 7 in (2, 3, 5)]
    )
    assert failures["employed: type: boolean (oui/non, vrai/faux, yes/no, 1/0)"] == 30
    assert "su;d" in quarantines["people"]["site"].tolist()  # the quoted delimiter, one cell


def test_rows_numbered_across_blocks_read_in_parallel(tmp_path: Path) -> None:
    """Small blocks: the row positions rebuilt from per-block counts match pandas' labels."""
    from evalsoc.engines.spark_session import spark_session

    _write(_people(2000, seed=11), tmp_path / "people.csv", blank_after=(5, 700, 1500))
    session = spark_session()
    before = session.conf.get("spark.sql.files.maxPartitionBytes")
    session.conf.set("spark.sql.files.maxPartitionBytes", "16384")
    try:
        framework = _framework(tmp_path, COLUMNS, "    key: [id]\n", file="people.csv")
        blocks = session.read.csv(str(tmp_path / "people.csv")).rdd.getNumPartitions()
        reports, _, _ = assert_same_intake(framework)
    finally:
        session.conf.set("spark.sql.files.maxPartitionBytes", before)
    assert blocks > 4  # several blocks were read
    assert reports["people"].rows_read == 2000


def test_a_quoted_line_break_a_bom_and_utf8(tmp_path: Path) -> None:
    """A quoted cell spanning lines (read as one stream), a UTF-8 byte order mark."""
    text = 'id,note,score\n1,"deux\nlignes",3\n2,"a, b",x\n3,"",4.5\n'
    (tmp_path / "people.csv").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    columns = "      id: {type: integer}\n      note: {type: string, nullable: true}\n"
    columns += "      score: {type: number, nullable: true}\n"
    reports, quarantines, said = assert_same_intake(
        _framework(tmp_path, columns, file="people.csv")
    )
    assert any("in Spark" in line for line in said), said
    assert reports["people"].as_dict()["failures"] == {"score: type: number": 1}
    assert quarantines["people"]["note"].tolist() == ["a, b"]


def test_a_header_only_and_a_file_whose_every_row_fails(tmp_path: Path) -> None:
    columns = "      n: {type: integer, min: 10}\n      s: {type: string, nullable: false}\n"
    (tmp_path / "people.csv").write_text("n;s\n", encoding="utf-8")
    reports, _, said = assert_same_intake(_framework(tmp_path, columns, file="people.csv"))
    assert reports["people"].rows_read == 0 and any("in Spark" in x for x in said)

    (tmp_path / "people.csv").write_text("n;s\n1;a\n2;\n3;c\nx;\n", encoding="utf-8")
    reports, quarantines, _ = assert_same_intake(_framework(tmp_path, columns, file="people.csv"))
    assert reports["people"].rows_used == 0 and reports["people"].rows_quarantined == 4
    assert len(quarantines["people"]) == 6  # three below the minimum, one not an integer, 2 gaps


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("n\n1\n   \n2\n", "a line of spaces only"),
        ('n;s\n1;"say ""hi"""\n2;b\n', "cells holding a quote"),
        ("n;s;t\n1;a;x\n2;b\n", "the pandas reader words this file's error"),
        ("", "the pandas reader words this file's error"),
    ],
    ids=["blank-line", "quote-in-cell", "short-row", "empty-file"],
)
def test_what_spark_would_read_differently_goes_to_the_pandas_intake(
    tmp_path: Path, content: str, said: str
) -> None:
    from evalsoc.errors import DataReadError

    (tmp_path / "people.csv").write_text(content, encoding="utf-8")
    framework = _framework(tmp_path, "      n: {type: integer}\n", file="people.csv")
    try:
        _, _, lines = assert_same_intake(framework, in_spark=False)
    except DataReadError as pandas_error:  # the same error on both engines
        with pytest.raises(DataReadError) as spark_error:
            _load(framework, "spark")
        assert spark_error.value.code == pandas_error.code
        return
    assert any(said in line and "pandas intake" in line for line in lines), lines


def test_a_run_on_a_spark_read_csv_equals_the_pandas_run(tmp_path: Path, monkeypatch) -> None:
    """results.json (within 1e-9 relative) and the quarantine file's bytes, the CSV read by
    Spark alone (the pandas reader refused during the Spark run)."""
    from tests.engines.results_equality import differences, run_engine
    from tests.engines.test_spark_engine import generated_framework

    framework = generated_framework(tmp_path)
    text = (tmp_path / "people.csv").read_text(encoding="utf-8").splitlines()
    text[5] = text[5].replace(";F;", ";X;")  # a failing category: a quarantine file
    (tmp_path / "people.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    expected = run_engine(framework, "pandas", tmp_path / "pandas")
    _refuse_pandas_reader(monkeypatch)
    got = run_engine(framework, "spark", tmp_path / "spark")
    assert differences(expected, got) == []
    invalid = sorted(p.name for p in (tmp_path / "pandas" / "invalid").iterdir())
    assert invalid and invalid == sorted(p.name for p in (tmp_path / "spark" / "invalid").iterdir())
    for name in invalid:
        pandas_file = (tmp_path / "pandas" / "invalid" / name).read_bytes()
        assert (tmp_path / "spark" / "invalid" / name).read_bytes() == pandas_file
    assert expected["data"]["people"]["rows_quarantined"] == 1
    assert len(expected["indicators"]["med"]["by"]) >= 4  # groups to compare


def test_the_shipped_demo_s_csv_sources_are_read_by_spark() -> None:
    """chantier-insertion.yaml: its three CSV sources without labels are read by Spark, with
    the pandas intake's rows, dtypes, quarantine and report; `participants` (value labels)
    stays on the pandas intake, said why."""
    from evalsoc.engines.spark_sources import SparkTable

    framework = Path(__file__).resolve().parents[2] / "frameworks" / "chantier-insertion.yaml"
    frames, reports, quarantines, _ = _load(framework, "pandas")
    tables, spark_reports, spark_quarantines, said = _load(framework, "spark")
    in_spark = sorted(n for n, t in tables.items() if isinstance(t, SparkTable))
    assert in_spark == ["benevolat", "benevoles", "jugements"], said
    assert any("'participants'" in x and "value labels" in x for x in said), said
    for name in in_spark:
        pd.testing.assert_frame_equal(tables[name].to_pandas(), frames[name])
        expected = quarantines[name].to_csv(index=False)
        assert spark_quarantines[name].to_csv(index=False) == expected
        assert spark_reports[name].as_dict() == reports[name].as_dict()
    assert sum(len(frames[n]) for n in in_spark) > 0
