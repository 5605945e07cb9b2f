"""Which sources the Spark intake reads itself (data/spark_intake.py `why_not`), decided from
the declarations alone, with the reason in French and English; no Spark session needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalsoc.data.spark_intake import why_not
from evalsoc.framework.load import load_framework


def _source(tmp_path: Path, columns: str, extra: str = "", file: str = "p.parquet"):
    (tmp_path / "f.yaml").write_text(
        "evalsoc: 1\nid: t\ntitle: {fr: T, en: T}\nlanguage: fr\ndata:\n  people:\n"
        f"    file: {file}\n{extra}    columns:\n{columns}\ndimensions: []\n",
        encoding="utf-8",
    )
    return load_framework(tmp_path / "f.yaml").data["people"]


def test_typed_declarations_of_a_parquet_source_are_read_by_spark(tmp_path: Path) -> None:
    columns = (
        "      id: {type: integer, unique: true}\n"
        "      x: {type: number, min: 0, max: 10, nullable: true}\n"
        "      q: {type: likert, levels: 5}\n"
        "      ok: {type: boolean}\n"
        "      d: {type: date, nullable: false}\n"
        "      site: {type: category, values: [a, b]}\n"
    )
    assert why_not(_source(tmp_path, columns, "    key: [id]\n"), False) is None
    assert why_not(_source(tmp_path, columns, "    key: [id]\n", "p.csv"), False) is None


@pytest.mark.parametrize(
    ("columns", "extra", "file", "english"),
    [
        ("      n: {type: integer}\n", "", "p.xlsx", "format (Spark reads only CSV and Parquet"),
        ("      n: {type: integer}\n", "    where: n > 1\n", "p.parquet", "a source `where`"),
        ("      d: {type: date, min: 3}\n", "", "p.parquet", "a value check on a date"),
        ("      s: {type: string, min: 3}\n", "", "p.parquet", "bounds on a string"),
        ("      n: {type: number, unit: percent}\n", "", "p.parquet", "is a percentage"),
        (
            "      q: {type: likert, levels: [non, oui]}\n",
            "",
            "p.parquet",
            "likert scale with labelled levels",
        ),
    ],
)
def test_other_declarations_keep_the_pandas_intake(
    tmp_path: Path, columns: str, extra: str, file: str, english: str
) -> None:
    reason = why_not(_source(tmp_path, columns, extra, file), False)
    assert reason is not None and english in reason["en"] and reason["fr"]
    assert reason["fr"] != reason["en"]


def test_a_source_read_by_a_derived_one_keeps_the_pandas_intake(tmp_path: Path) -> None:
    reason = why_not(_source(tmp_path, "      n: {type: integer}\n"), True)
    assert reason is not None and "derived source" in reason["en"]
