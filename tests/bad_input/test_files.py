"""Data and framework files truncated, corrupted, special or too large: a clear refusal that
names the file and the framework key declaring it, never a hang or a traceback."""

from __future__ import annotations

import io
import os
import socket
import zipfile
from pathlib import Path

import pytest
from cli_cases import EXIT_DATA, EXIT_OK, EXIT_USAGE, invoke

SOURCE = r"framework\.yaml:\d+:\d+: data\.people\.file: "


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _parquet(rows: int = 50) -> bytes:
    import pandas as pd

    buffer = io.BytesIO()
    pd.DataFrame({"x": [float(i) for i in range(rows)]}).to_parquet(buffer)
    return buffer.getvalue()


GOOD_CSV = ("x\n" + "".join(f"{i}\n" for i in range(200))).encode()


# --- corrupted or truncated data files (each format) -----------------------------------------

CORRUPT = {
    "csv-empty": ("people.csv", b""),
    "csv-only-spaces": ("people.csv", b"   \n\n  \n"),
    "csv-only-bom": ("people.csv", b"\xef\xbb\xbf"),
    "csv-binary-garbage": ("people.csv", bytes(range(256)) * 40),
    "csv-nul-bytes": ("people.csv", b"x\n1\n\x00\x00\x00\n2\n"),
    "csv-unclosed-quote": ("people.csv", b'x,y\n1,"never closed\n2,b\n'),
    "csv-extra-field": ("people.csv", b"x,y\n1,a\n2,b,c\n"),
    "csv-repeated-header": ("people.csv", b"x,x\n1,2\n"),
    "csv-header-only": ("people.csv", b"y\n"),
    "xlsx-empty": ("people.xlsx", b""),
    "xlsx-truncated": ("people.xlsx", _xlsx([["x"], [1], [2]])[:300]),
    "xlsx-random-bytes": ("people.xlsx", os.urandom(2000)),
    "xlsx-is-a-csv": ("people.xlsx", GOOD_CSV),
    "xlsx-zip-without-workbook": ("people.xlsx", b""),  # filled below
    "parquet-empty": ("people.parquet", b""),
    "parquet-truncated": ("people.parquet", _parquet()[:-40]),
    "parquet-random-bytes": ("people.parquet", os.urandom(2000)),
    "parquet-is-a-csv": ("people.parquet", GOOD_CSV),
    "unknown-extension": ("people.sav", GOOD_CSV),
}
_zip = io.BytesIO()
with zipfile.ZipFile(_zip, "w") as archive:
    archive.writestr("hello.txt", "not a workbook")
CORRUPT["xlsx-zip-without-workbook"] = ("people.xlsx", _zip.getvalue())


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_corrupted_data_file(project, name):
    file, content = CORRUPT[name]
    p = project(file=file, data=content)
    outcome = p.validate()
    if name == "csv-header-only":  # a readable file without the declared column
        outcome.expect(EXIT_USAGE, r"people\.csv\): declared or key column\(s\) not found.*x")
    elif name == "csv-nul-bytes":  # a line of NUL bytes is a value that is not a number
        outcome.expect(EXIT_DATA, r"people\.csv\).*x: type: number \(1, first at row 2\)")
    elif name == "csv-unclosed-quote":
        outcome.expect(EXIT_USAGE, SOURCE, r"people\.csv:2: a quote .* opens a cell on line 2")
    else:
        outcome.expect(EXIT_USAGE, SOURCE, re.escape(file))


import re  # noqa: E402  (used in the parametrised test above)

# --- corrupted framework files ---------------------------------------------------------------

BAD_YAML = {
    "empty": (b"", r"framework\.yaml: the framework file is empty"),
    "only-comment": (b"# rien\n", r"framework\.yaml: the framework file is empty"),
    "truncated-mapping": (b"evalsoc: 1\nid: cas\ntitle: {fr: Cas, en:", r"framework\.yaml:\d+:\d+"),
    "unclosed-quote": (b'evalsoc: 1\nid: "cas\ntitle: Cas\n', r"framework\.yaml:\d+:\d+"),
    "tab-indent": (b"evalsoc: 1\nid: cas\ntitle:\n\tfr: Cas\n", r"framework\.yaml:\d+:\d+"),
    "a-list": (b"- evalsoc: 1\n- id: cas\n", r"framework\.yaml:1:1: the framework must be"),
    "a-scalar": (b"bonjour\n", r"framework\.yaml:1:1: the framework must be"),
    "duplicate-key": (b"evalsoc: 1\nid: a\nid: b\ntitle: T\n", r"framework\.yaml:3:1: key id"),
    "latin-1": ("evalsoc: 1\nid: cas\ntitle: Évaluation\n".encode("latin-1"), r"framework\.yaml:3"),
    "utf-16": ("evalsoc: 1\nid: cas\ntitle: T\n".encode("utf-16"), r"framework\.yaml"),
    "binary": (bytes(range(1, 256)) * 10, r"framework\.yaml"),
    "python-tag": (
        b"evalsoc: 1\nid: cas\ntitle: !!python/object/apply:os.system ['true']\n",
        r"framework\.yaml:3:\d+: YAML syntax error",
    ),
    "alias-bomb": (
        b"evalsoc: 1\nid: cas\ntitle: T\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + b"".join(
            f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n".encode()
            for p, c in zip("abcdefgh", "bcdefghi")
        ),
        r"framework\.yaml: the framework is too large once its YAML aliases",
    ),
    "unknown-anchor": (b"evalsoc: 1\nid: cas\ntitle: *nulle\n", r"framework\.yaml:3:\d+"),
}


@pytest.mark.parametrize("name", sorted(BAD_YAML))
def test_corrupted_framework_file(tmp_path, name):
    content, pattern = BAD_YAML[name]
    framework = tmp_path / "framework.yaml"
    framework.write_bytes(content)
    invoke("validate", framework).expect(EXIT_USAGE, pattern)


def test_truncated_shipped_framework_at_every_tenth_line(tmp_path):
    """A framework cut anywhere (an interrupted copy) is an error or a valid prefix, never a crash."""
    from cli_cases import ROOT_DATA

    lines = (ROOT_DATA / "sroi" / "framework.yaml").read_text(encoding="utf-8").splitlines(True)
    for cut in range(5, len(lines), 10):
        framework = tmp_path / "framework.yaml"
        framework.write_text("".join(lines[:cut])[:-3], encoding="utf-8")
        outcome = invoke("validate", framework)
        assert outcome.code in (EXIT_OK, EXIT_USAGE), outcome.output
        outcome.expect(outcome.code)


# --- special files, refused by type before anything is opened ---------------------------------


def _special(tmp_path: Path, kind: str) -> Path:
    if kind == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
        return path
    if kind == "folder":
        path = tmp_path / "dossier.csv"
        path.mkdir()
        return path
    if kind == "socket":
        path = tmp_path / "s.csv"
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        return path
    if kind == "symlink-loop":
        path = tmp_path / "loop.csv"
        path.symlink_to(path)
        return path
    if kind == "broken-symlink":
        path = tmp_path / "broken.csv"
        path.symlink_to(tmp_path / "absent.csv")
        return path
    return Path(kind)


SPECIAL = {
    "fifo": r"named pipe \(FIFO\)",
    "folder": r"is a (folder|directory)",
    "socket": r"is a socket",
    "/dev/zero": r"character device",
    "/dev/urandom": r"character device",
    "/dev/null": r"character device",
    "symlink-loop": r"(not found|cannot read)",
    "broken-symlink": r"not found",
}


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_special_data_file(project, tmp_path, kind):
    if kind.startswith("/dev/") and not Path(kind).exists():
        pytest.skip(f"{kind} does not exist here")
    path = _special(tmp_path, kind)
    p = project(file=str(path), data=None, share=1)
    p.validate().expect(EXIT_USAGE, SPECIAL[kind])


@pytest.mark.parametrize("kind", ["fifo", "folder", "/dev/zero", "/dev/urandom", "socket"])
def test_special_framework_file(tmp_path, kind):
    if kind.startswith("/dev/") and not Path(kind).exists():
        pytest.skip(f"{kind} does not exist here")
    path = _special(tmp_path, kind)
    invoke("validate", path).expect(EXIT_USAGE, re.escape(str(path)), SPECIAL[kind])


def test_file_size_limit_and_its_override(project):
    p = project(data=GOOD_CSV)
    p.validate(env={"EVALSOC_MAX_FILE_SIZE": "100"}).expect(
        EXIT_USAGE, SOURCE, r"more than the limit of 100; .*EVALSOC_MAX_FILE_SIZE"
    )
    p.validate(env={"EVALSOC_MAX_FILE_SIZE": "1M"}).expect(EXIT_OK)
    p.validate(env={"EVALSOC_MAX_FILE_SIZE": "0"}).expect(EXIT_OK)  # 0: no limit
    p.validate(env={"EVALSOC_MAX_FILE_SIZE": "beaucoup"}).expect(
        EXIT_USAGE, r"EVALSOC_MAX_FILE_SIZE='beaucoup' is not a size"
    )


def test_framework_file_size_limit(tmp_path):
    framework = tmp_path / "framework.yaml"
    framework.write_text("evalsoc: 1\nid: cas\ntitle: T\n" + "# " + "x" * (11 * 2**20), "utf-8")
    invoke("validate", framework).expect(EXIT_USAGE, r"framework\.yaml: the framework file holds")


# --- XLSX error cells ------------------------------------------------------------------------


def test_xlsx_error_cells_are_quarantined_with_their_reason(project):
    content = _xlsx([["x", "s"], [1, "a"], ["=1/0", "b"], [3, "#DIV/0!"], [4, "c"]])
    # openpyxl writes "#DIV/0!" typed as text; mark it as an error value as Excel does.
    content = _as_error_cell(content, "B4")
    p = project(
        columns="x: {type: number}\ns: {type: string}", file="people.xlsx", data=content, share=1
    )
    p.run().expect(EXIT_OK, "rows read: 4, used: 2, quarantined: 2")
    quarantine = (p.folder / "out" / "invalid" / "people.csv").read_text(encoding="utf-8")
    assert "formula without a saved value" in quarantine and "1/0" in quarantine
    assert "spreadsheet error,#DIV/0!" in quarantine


def _as_error_cell(content: bytes, ref: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index(f'<c r="{ref}"')
                end = text.index("</c>", start) + 4
                text = text[:start] + f'<c r="{ref}" t="e"><v>#DIV/0!</v></c>' + text[end:]
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


def test_xlsx_missing_sheet(project):
    p = project(file="people.xlsx", data=_xlsx([["x"], [1]]))
    text = p.framework.read_text(encoding="utf-8").replace(
        "file: people.xlsx", "file: people.xlsx\n    sheet: Absente"
    )
    p.framework.write_text(text, encoding="utf-8")
    p.validate().expect(EXIT_USAGE, SOURCE, "Absente")


# --- encodings -------------------------------------------------------------------------------


def test_mixed_utf8_and_cp1252_lines_are_each_read_right(project):
    lines = b"x,site\n" + "1,Étang\n".encode() * 1500 + "2,Étang\n".encode("cp1252") * 10
    p = project(columns="x: {type: number}\nsite: {type: string}", data=lines)
    p.validate().expect(
        EXIT_OK, r"mixed encodings: 10 line\(s\) in Windows-1252 \(lines 1502–1511\)"
    )
    from evalsoc.framework.load import load_framework
    from evalsoc.pipeline import load_data

    frames, _, _ = load_data(load_framework(p.framework))
    assert frames["people"]["site"].unique().tolist() == ["Étang"]  # no « Ã‰tang » group


def test_cp1252_only_file_is_read_as_cp1252(project):
    p = project(
        columns="x: {type: number}\nsite: {type: string}",
        data="x,site\n1,Étang\n2,Île\n".encode("cp1252"),
    )
    p.validate().expect(EXIT_OK, r"cp1252")


def test_utf16_file_with_bom(project):
    p = project(data="x\n1\n2\n".encode("utf-16"))
    p.validate().expect(EXIT_OK, "2 rows read")


def test_unknown_declared_encoding(project):
    p = project()
    text = p.framework.read_text(encoding="utf-8").replace(
        "file: people.csv", "file: people.csv\n    encoding: klingon"
    )
    p.framework.write_text(text, encoding="utf-8")
    p.validate().expect(EXIT_USAGE, SOURCE, "klingon")


def test_wrong_declared_encoding(project):
    p = project(data="x,s\n1,é\n".encode(), columns="x: {type: number}")
    text = p.framework.read_text(encoding="utf-8").replace(
        "file: people.csv", "file: people.csv\n    encoding: utf-16"
    )
    p.framework.write_text(text, encoding="utf-8")
    p.validate().expect(EXIT_USAGE, SOURCE)
