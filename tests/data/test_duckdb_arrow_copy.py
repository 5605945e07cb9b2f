"""The DuckDB intake's typed copy of a CSV (data/duckdb_files.arrow_copy): pyarrow's streaming
reader types the columns as the pandas reader does, and whatever it cannot type as the pandas
reader would (a later block's cell, NaN, infinity, another type) goes back to the text copy;
either way the intake equals the pandas intake's."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("duckdb")

from tests.data.test_duckdb_intake import _write, assert_same_intake  # noqa: E402


def _copied(framework: Path) -> tuple[list[str | None] | None, list[str]]:
    """(kinds arrow_copy returned, the raw table's DuckDB types) for the framework's source."""
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
    return found[2], types


def test_a_clean_file_is_copied_typed(tmp_path: Path) -> None:
    data = b"id;x;q;flag;gap\n1;1.5;3;oui;7\n2;-2.25;5;non;\n3;;1;oui;9\n4;1e3;9;non;2\n"
    columns = (
        "      id: {type: integer}\n      x: {type: number, nullable: true}\n"
        "      q: {type: likert, levels: 5}\n      flag: {type: boolean}\n"
    )
    framework = _write(tmp_path, data, columns)
    kinds, types = _copied(framework)
    assert kinds == ["text", "float", "int", "text", "int_nulls"]
    assert types == ["VARCHAR", "DOUBLE", "BIGINT", "VARCHAR", "BIGINT"]
    assert_same_intake(framework)


def test_spellings_pyarrow_reads_as_numbers_stay_in_duckdb(tmp_path: Path) -> None:
    """' 12' and 1E2 are numbers for pyarrow: the pandas reader's values, no fallback."""
    framework = _write(tmp_path, b"n;m\n 12;1E2\n3;x\n", "      n: {type: number}\n")
    kinds, _ = _copied(framework)
    assert kinds == ["int", "text"]
    assert_same_intake(framework)


def test_a_later_block_that_changes_the_type_goes_to_the_text_copy(tmp_path: Path) -> None:
    """The first 1 MiB block holds whole numbers only; a cell 2.5 MB further is 1.5."""
    lines = [f"{i};{i % 7}" for i in range(300_000)] + ["300000;1.5"]
    data = ("id;n\n" + "\n".join(lines) + "\n").encode()
    framework = _write(tmp_path, data, "      id: {type: integer}\n      n: {type: number}\n")
    kinds, types = _copied(framework)
    assert kinds is None and types == ["VARCHAR", "VARCHAR"]
    assert_same_intake(framework)


def test_a_column_missing_in_the_first_block_goes_to_the_text_copy(tmp_path: Path) -> None:
    lines = [f"{i};" for i in range(300_000)] + ["300000;4.5"]
    data = ("id;n\n" + "\n".join(lines) + "\n").encode()
    columns = "      id: {type: integer}\n      n: {type: number, nullable: true}\n"
    framework = _write(tmp_path, data, columns)
    assert _copied(framework)[0] is None
    assert_same_intake(framework)


@pytest.mark.parametrize("cell", [b"NAN", b"inf", b"-Infinity"])
def test_nan_and_infinity_go_to_the_text_copy(cell: bytes, tmp_path: Path) -> None:
    framework = _write(tmp_path, b"n\n1.5\n" + cell + b"\n3\n", "      n: {type: number}\n")
    assert _copied(framework)[0] is None
    assert_same_intake(framework, out_of_core=False)  # pyarrow's inference: pandas intake


def test_quoted_line_breaks_and_latin1(tmp_path: Path) -> None:
    data = 'nom;x\n"Café\nau lait";1,5\nThé;2\n'.encode("latin-1")
    framework = _write(tmp_path, data, "      nom: {type: string}\n")
    kinds, _ = _copied(framework)
    assert kinds == ["text", "float"]
    assert_same_intake(framework)


def test_names_differing_only_by_case_go_to_the_pandas_intake(tmp_path: Path) -> None:
    """DuckDB's column names ignore case: `nom` and `Nom` were an internal error there."""
    data = b"nom;Nom;x\na;b;1\nc;d;2\n"
    framework = _write(tmp_path, data, "      nom: {type: string}\n      Nom: {type: string}\n")
    said = assert_same_intake(framework, out_of_core=False)
    assert any("differ only by case" in line for line in said), said
