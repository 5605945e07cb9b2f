"""The DuckDB intake's typed read of a CSV (data/duckdb_csv_typed.py): pyarrow types the
columns as the pandas reader does, read whole or streamed into DuckDB; whatever the streamed
form cannot type as the pandas reader would (a later block's cell, NaN, infinity, another
type) goes back to the text copy; either way the intake equals the pandas intake's."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from tests.data.test_duckdb_intake import _write, assert_same_intake  # noqa: E402


@pytest.fixture(params=["arrow", "table"])
def form(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test on both forms: read whole (the default for small files) and streamed."""
    if request.param == "table":
        from evalsoc.data import duckdb_csv_typed

        monkeypatch.setattr(duckdb_csv_typed, "WHOLE_FILE_AT_MOST", 0)
    return str(request.param)


def _copied(framework: Path) -> tuple[list[str | None] | None, str, list[str]]:
    """(kinds, form, the raw's DuckDB types) csv_raw gives for the framework's source."""
    from evalsoc.data.duckdb_files import csv_raw
    from evalsoc.data.info import resolve_path
    from evalsoc.engines.duckdb_table import connect
    from evalsoc.framework.load import load_framework

    loaded = load_framework(framework)
    source = loaded.data["people"]
    connection = connect()
    found = csv_raw(connection, "raw", resolve_path(loaded.base_dir, source.file), source)
    assert not isinstance(found, str), found
    types = [str(row[1]) for row in connection.execute("DESCRIBE raw").fetchall()]
    return found[2], found[3], [t for t, row in zip(types, found[1] + ["_row"]) if row != "_row"]


def test_a_clean_file_is_read_typed(form: str, tmp_path: Path) -> None:
    data = b"id;x;q;flag;gap\n1;1.5;3;oui;7\n2;-2.25;5;non;\n3;;1;oui;9\n4;1e3;9;non;2\n"
    columns = (
        "      id: {type: integer}\n      x: {type: number, nullable: true}\n"
        "      q: {type: likert, levels: 5}\n      flag: {type: boolean}\n"
    )
    framework = _write(tmp_path, data, columns)
    assert _copied(framework) == (
        ["text", "float", "int", "text", "int_nulls"],
        form,
        ["VARCHAR", "DOUBLE", "BIGINT", "VARCHAR", "BIGINT"],
    )
    assert_same_intake(framework)


def test_spellings_pyarrow_reads_as_numbers_stay_in_duckdb(form: str, tmp_path: Path) -> None:
    """' 12' is a whole number for pyarrow: the pandas reader's values, no fallback."""
    framework = _write(tmp_path, b"n;m\n 12;1E2\n3;x\n", "      n: {type: number}\n")
    assert _copied(framework)[:2] == (["int", "text"], form)
    assert_same_intake(framework)


def test_a_later_block_that_changes_the_type(form: str, tmp_path: Path) -> None:
    """The first 1 MiB block holds whole numbers only; a cell 2.5 MB further is 1.5: read
    whole, pyarrow itself loosens the type to double; streamed, the text copy reads it."""
    lines = [f"{i};{i % 7}" for i in range(300_000)] + ["300000;1.5"]
    data = ("id;n\n" + "\n".join(lines) + "\n").encode()
    framework = _write(tmp_path, data, "      id: {type: integer}\n      n: {type: number}\n")
    kinds, found, types = _copied(framework)
    if form == "arrow":
        assert (kinds, found, types) == (["text", "float"], "arrow", ["VARCHAR", "DOUBLE"])
    else:
        assert (kinds, found, types) == (None, "table", ["VARCHAR", "VARCHAR"])
    assert_same_intake(framework)


def test_a_column_missing_in_the_first_block(form: str, tmp_path: Path) -> None:
    lines = [f"{i};" for i in range(300_000)] + ["300000;4.5"]
    data = ("id;n\n" + "\n".join(lines) + "\n").encode()
    columns = "      id: {type: integer}\n      n: {type: number, nullable: true}\n"
    framework = _write(tmp_path, data, columns)
    assert _copied(framework)[0] == (["text", "float"] if form == "arrow" else None)
    assert_same_intake(framework)


@pytest.mark.parametrize("cell", [b"NAN", b"inf", b"-Infinity"])
def test_nan_and_infinity_go_to_the_text_copy(form: str, cell: bytes, tmp_path: Path) -> None:
    framework = _write(tmp_path, b"n\n1.5\n" + cell + b"\n3\n", "      n: {type: number}\n")
    assert _copied(framework)[:2] == (None, "table")
    assert_same_intake(framework, out_of_core=False)  # pyarrow's inference: pandas intake


def test_quoted_line_breaks_and_latin1(form: str, tmp_path: Path) -> None:
    data = 'nom;x\n"Café\nau lait";1,5\nThé;2\n'.encode("latin-1")
    framework = _write(tmp_path, data, "      nom: {type: string}\n")
    assert _copied(framework)[:2] == (["text", "float"], form)
    assert_same_intake(framework)


def test_names_differing_only_by_case_go_to_the_pandas_intake(tmp_path: Path) -> None:
    """DuckDB's column names ignore case: `nom` and `Nom` were an internal error there."""
    data = b"nom;Nom;x\na;b;1\nc;d;2\n"
    framework = _write(tmp_path, data, "      nom: {type: string}\n      Nom: {type: string}\n")
    said = assert_same_intake(framework, out_of_core=False)
    assert any("differ only by case" in line for line in said), said


def test_quotes_past_the_head_are_read_again(form: str, tmp_path: Path) -> None:
    """The first 64 KiB have no quote: pyarrow reads on that guess while the file is scanned;
    the quoted line break 100 KB further makes the intake read it again with quotes."""
    lines = [f"{i};a{i};{i % 5}.5" for i in range(8_000)] + ['8000;"deux\nlignes; ici";2']
    data = ("id;t;x\n" + "\n".join(lines) + "\n").encode()
    framework = _write(tmp_path, data, "      id: {type: integer}\n      t: {type: string}\n")
    assert _copied(framework)[:2] == (["text", "text", "float"], form)
    assert_same_intake(framework)


def test_latin1_bytes_past_the_head_are_read_again(form: str, tmp_path: Path) -> None:
    """The head is UTF-8 (ASCII); a Latin-1 é 100 KB further makes it Windows-1252."""
    lines = [f"{i};a;{i % 5}" for i in range(10_000)] + ["10000;Café;3"]
    data = ("id;t;x\n" + "\n".join(lines) + "\n").encode("latin-1")
    framework = _write(tmp_path, data, "      id: {type: integer}\n      t: {type: string}\n")
    assert _copied(framework)[:2] == (["text", "text", "int"], form)
    said = assert_same_intake(framework)
    assert any("out of core in DuckDB" in line for line in said), said


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_messy_files_on_both_forms(form: str, seed: int, tmp_path: Path) -> None:
    """The generated messy files (decimal commas, odd spellings, quotes, gaps...) read whole
    and streamed give the pandas intake's rows, quarantine and report."""
    from tests.engines.generated_intake import write_messy

    said = assert_same_intake(write_messy(tmp_path, seed, rows=300))
    assert any("out of core in DuckDB" in line for line in said), said


def test_columns_without_any_value_stay_in_duckdb(form: str, tmp_path: Path) -> None:
    """An export's empty columns (pyarrow's null type): pandas holds None objects for an
    undeclared one and NaN for a number; they were a reason for the pandas intake."""
    data = b"id;vide;n;x\n1;;;1.5\n2;;;\n3;;;2\nx;;;3\n"
    columns = "      id: {type: integer}\n      n: {type: number, nullable: true}\n"
    framework = _write(tmp_path, data, columns)
    assert _copied(framework)[:2] == (["text", "null", "null", "float"], form)
    said = assert_same_intake(framework)
    assert any("out of core in DuckDB" in line for line in said), said
