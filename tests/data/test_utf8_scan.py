"""The file scan's UTF-8 verdict (data/csv_file.py) is Python's strict decoder's, whatever the
chunk boundaries cut: Arrow validates each chunk, a character cut at a chunk's end is carried."""

from __future__ import annotations

import random

import pytest

from evalsoc.data import csv_file
from evalsoc.data.csv_file import _scan_bytes, is_utf8


def python_says(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize(
    "data, valid",
    [
        (b"", True),
        (b"nom;age\nJos\xc3\xa9;42\n", True),  # é
        ("\ufeffid;ville\n1;Besançon\n".encode(), True),  # BOM
        ("€ 😀".encode(), True),  # 3- and 4-byte characters
        (b"Jos\xe9;42\n", False),  # é in Windows-1252
        (b"\xc0\xaf", False),  # overlong "/"
        (b"\xed\xa0\x80", False),  # a surrogate
        (b"\xf4\x90\x80\x80", False),  # above U+10FFFF
        (b"abc\xe2\x82", False),  # a character cut by the end of the file
        (b"\x80abc", False),  # a continuation byte alone
    ],
)
def test_is_utf8_agrees_with_python(data: bytes, valid: bool) -> None:
    assert python_says(data) is valid
    assert is_utf8(data) is valid


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 7, 64])
def test_scan_agrees_with_python_at_every_cut(tmp_path, monkeypatch, chunk: int) -> None:
    monkeypatch.setattr(csv_file, "_CHUNK", chunk)
    rng = random.Random(chunk)
    pieces = ["a", "é", "€", "😀", "\n", ";"]
    bad = [b"\xe9", b"\xc3", b"\x80", b"\xed\xa0\x80", b"\xf0\x9f\x98"]
    for case in range(60):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))).encode()
        if case % 2:  # one invalid sequence somewhere
            at = rng.randint(0, len(text))
            text = text[:at] + rng.choice(bad) + text[at:]
        path = tmp_path / f"f{case}.csv"
        path.write_bytes(text)
        digest, utf8, head, quotes = _scan_bytes(path)
        assert utf8 is python_says(text), text
        assert head == text[:65536]
        assert quotes is False
