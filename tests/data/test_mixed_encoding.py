"""Mixed UTF-8 / Windows-1252 files: the per-line reading, and the quick exit for a file that
is Windows-1252 throughout (no UTF-8 pair of bytes: no Python loop over its lines)."""

from pathlib import Path

from evalsoc.data import mixed_encoding
from evalsoc.data.mixed_encoding import split_mixed_lines


def test_whole_cp1252_file_is_not_a_mix(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("nom;ville\nÉlodie;Étang\nAndré;Sète\n".encode("cp1252"))
    assert mixed_encoding._UTF8_PAIR.search(path.read_bytes()) is None  # the quick exit ran
    assert split_mixed_lines(path) is None


def test_mixed_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    lines = [
        "nom;ville\n".encode("ascii"),
        "Élodie;Étang\n".encode(),
        "André;Sète\n".encode("cp1252"),
        "Zoé;Nîmes\n".encode(),
    ]
    path.write_bytes(b"".join(lines))
    data, legacy = split_mixed_lines(path)
    assert legacy == [3]
    assert data.decode("utf-8") == "nom;ville\nÉlodie;Étang\nAndré;Sète\nZoé;Nîmes\n"


def test_utf8_only_file_is_not_a_mix(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("nom;ville\nÉlodie;Étang\n".encode())
    assert split_mixed_lines(path) is None
