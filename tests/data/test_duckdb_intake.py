"""The DuckDB intake gives what the pandas intake gives: the same clean rows (values, dtypes,
row labels), the same quarantine file byte for byte, the same report, on messy files cell by
cell; and a source it cannot read exactly goes to the pandas intake, with the reason said."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from tests.engines.generated_intake import write_messy  # noqa: E402


def _load(framework: Path, engine: str) -> tuple[dict, dict, dict, list[str]]:
    from evalsoc.data.intake import load_sources
    from evalsoc.engines.choice import choose_engine
    from evalsoc.framework.load import load_framework

    loaded = load_framework(framework)
    said: list[str] = []
    frames, reports, quarantines = load_sources(loaded, said.append, choose_engine(loaded, engine))
    return frames, reports, quarantines, said


def assert_same_intake(framework: Path, out_of_core: bool = True) -> list[str]:
    import pandas as pd

    from evalsoc.engines.duckdb_table import DuckDBTable

    frames, reports, quarantines, _ = _load(framework, "pandas")
    tables, duck_reports, duck_quarantines, said = _load(framework, "duckdb")
    for name, frame in frames.items():
        table = tables[name]
        assert isinstance(table, DuckDBTable) is out_of_core, said
        read = table.to_pandas() if out_of_core else table
        assert dict(read.dtypes) == dict(frame.dtypes)
        assert list(read.index) == list(frame.index)
        pd.testing.assert_frame_equal(read, frame)
        assert len(table) == len(frame)
        expected = quarantines[name].to_csv(index=False)
        assert duck_quarantines[name].to_csv(index=False) == expected
        assert duck_reports[name].as_dict() == reports[name].as_dict()
        assert duck_reports[name].first_rows == reports[name].first_rows
    return said


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_messy_files_read_in_duckdb_as_pandas_reads_them(seed: int, tmp_path: Path) -> None:
    framework = write_messy(tmp_path, seed)
    said = assert_same_intake(framework)
    assert any("out of core in DuckDB" in line for line in said)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4, 13))
def test_more_messy_files(seed: int, tmp_path: Path) -> None:
    assert_same_intake(write_messy(tmp_path, seed, rows=300))


def test_messy_files_are_not_vacuous(tmp_path: Path) -> None:
    """Seed 1 quarantines rows for each kind of failure the SQL intake reproduces."""
    _, reports, _, _ = _load(write_messy(tmp_path, 1, rows=300), "pandas")
    checks = {key.split(": ", 1)[1].split(" (")[0] for key in reports["people"].failures}
    for check in ("type: integer", "type: number", "type: date", "type: boolean", "min 16"):
        assert check in checks, checks
    for check in ("max 80", "one of nord, sud, est", "duplicate value", "missing value"):
        assert any(c.startswith(check) for c in checks), checks


def _write(folder: Path, data: bytes, columns: str, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "people.csv").write_bytes(data)
    framework = folder / "framework.yaml"
    framework.write_text(
        f"""evalsoc: 1
id: t
title: {{fr: T, en: T}}
language: fr
data:
  people:
    file: people.csv
    max_invalid_share: 1
{extra}    columns:
{columns}
dimensions: []
""",
        encoding="utf-8",
    )
    return framework


def test_key_duplicates_with_missing_values_and_quoted_cells(tmp_path: Path) -> None:
    data = (
        b'k1;k2;x;n;t\na;1;7;1,5;"a;b"\na;1;8;2;"deux\nlignes"\n;;;;\nb;;9;;x\nb;;;3,25;'
        b'"dit ""oui"""\n'
    )
    columns = "      k1: {type: string}\n      k2: {type: integer, nullable: true}\n"
    framework = _write(tmp_path, data, columns, "    key: [k1, k2]\n")
    assert_same_intake(framework)


def test_integer_coded_categories_and_dates_with_a_format(tmp_path: Path) -> None:
    data = b"c,d\n1,05.01.2024\n2.0,31.02.2024\n3,\n1.0,1.1.2024\n4,x\n"
    columns = (
        "      c: {type: category, values: [1, 2, 3]}\n"
        "      d: {type: date, format: '%d.%m.%Y', nullable: true}\n"
    )
    assert_same_intake(_write(tmp_path, data, columns))


def test_windows_1252_bytes_fall_back_to_pandas(tmp_path: Path) -> None:
    """0x80 is € in Windows-1252 and a control character in Latin-1: DuckDB is not asked."""
    data = "nom;prix\nCafé;3 €\nThé;2 €\n".encode("cp1252")
    framework = _write(tmp_path, data, "      nom: {type: string}\n")
    said = assert_same_intake(framework, out_of_core=False)
    assert any("encoding cp1252" in line for line in said)


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        ("      p: {type: number, unit: percent}\n", "percentage"),
        ("      p: {type: number, missing_values: [99]}\n", "missing-value codes"),
        ("      p: {type: likert, levels: [non, oui]}\n", "labelled levels"),
    ],
)
def test_declarations_sql_does_not_reproduce_fall_back(
    columns: str, reason: str, tmp_path: Path
) -> None:
    framework = _write(tmp_path, b"p\n45\n99\n3\n", columns)
    said = assert_same_intake(framework, out_of_core=False)
    assert any(reason in line and "pandas intake" in line for line in said), said


def test_numbers_pyarrow_would_type_otherwise_fall_back(tmp_path: Path) -> None:
    """' 12' and 1e400 make pyarrow read a float column that the SQL rules do not model."""
    framework = _write(tmp_path, b"n\n 12\n1e400\n3\n", "      n: {type: number}\n")
    said = assert_same_intake(framework, out_of_core=False)
    assert any("pyarrow's inference" in line for line in said), said


def test_likert_answers(tmp_path: Path) -> None:
    """Answers outside 1..5, not whole, or not numbers fail as on pandas (text and numbers)."""
    data = b"a;b\n1;1\n7;x\n2,5;2.5\n;0\n5; 4\n"
    columns = "      a: {type: likert, levels: 5, nullable: true}\n"
    columns += "      b: {type: likert, levels: 5}\n"
    assert_same_intake(_write(tmp_path, data, columns))
    data = b"a\n1\n7\n3\n0\n"
    assert_same_intake(_write(tmp_path / "numbers", data, "      a: {type: likert, levels: 5}\n"))


def test_undeclared_numbers_are_shown_as_pandas_shows_them(tmp_path: Path) -> None:
    """Quarantined rows show undeclared whole numbers as 7 (no gap) or 7.0 (a gap), as pandas."""
    data = b"a,whole,gappy,decimals\nx,7,7,1.50\n,8,,2\ny,9,9,3.25\n"
    framework = _write(tmp_path, data, "      a: {type: string}\n")
    assert_same_intake(framework)
    _, _, quarantines, _ = _load(framework, "duckdb")
    assert quarantines["people"].to_csv(index=False).splitlines()[1] == (
        "2,a,missing value (not nullable),,,8,,2.0"
    )


def test_engine_queries_the_table_and_collects_only_what_is_asked(tmp_path: Path) -> None:
    """The DuckDB engine answers from the intake's table (no frame registered); `rows` gives
    the pandas engine's rows, dtypes and labels for the columns asked, under a `where`."""
    import pandas as pd

    from evalsoc.engines.registry import create_engine
    from evalsoc.framework.expressions import parse_expression

    framework = write_messy(tmp_path, 1, rows=120)
    frames, _, _, _ = _load(framework, "pandas")
    tables, _, _, _ = _load(framework, "duckdb")
    pandas_engine = create_engine("pandas", frames)
    duck = create_engine("duckdb", tables)
    assert duck.view("people") == tables["people"].table
    assert duck.connection is tables["people"].connection
    where = parse_expression("not (income > 10) and site != null")
    expected = pandas_engine.rows("people", ["income", "entry"], where)
    found = duck.rows("people", ["income", "entry"], where)
    assert list(found.columns) == ["income", "entry"]
    pd.testing.assert_frame_equal(found, expected)
    assert 0 < len(found) < len(tables["people"])
    assert duck.length("people") == len(frames["people"])
    columns = ["id", "income", "score", "entry", "code"]
    complete = {c for c in columns if frames["people"][c].notna().all()}
    assert duck.complete("people", columns) == complete
    assert "id" in duck.complete("people", columns) != set(columns)
