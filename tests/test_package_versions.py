"""The package versions written to results.json are importlib.metadata's strings, read without
its cost (evalsoc/package_versions.py)."""

from __future__ import annotations

import sys
from importlib import metadata

import pytest

from evalsoc import package_versions
from evalsoc.package_versions import NOT_INSTALLED, versions
from evalsoc.results import PACKAGES, _versions


def _importlib(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


def test_the_recorded_versions_equal_importlib_metadata_on_this_environment():
    names = (*PACKAGES, "click", "typing_extensions", "typing-extensions", "PyYAML", "no-such-pkg")
    expected = {name: _importlib(name) for name in names}
    assert versions(names) == expected
    assert expected["no-such-pkg"] == NOT_INSTALLED
    assert expected["numpy"] != NOT_INSTALLED  # the comparison saw real versions
    recorded = _versions()
    assert {name: recorded[name] for name in PACKAGES} == {n: expected[n] for n in PACKAGES}


def _dist(folder, dirname: str, metadata_text: str | None, file: str = "METADATA") -> None:
    info = folder / dirname
    info.mkdir(parents=True)
    if metadata_text is not None:
        (info / file).write_text(metadata_text, encoding="utf-8")


@pytest.fixture
def made_up_path(tmp_path, monkeypatch):
    """Two folders on an otherwise empty sys.path, with distributions of every odd kind."""
    first, second = tmp_path / "first", tmp_path / "second"
    _dist(first, "Foo_Bar-1.0.dist-info", "Metadata-Version: 2.1\nName: Foo_Bar\nVersion: 1.0\n")
    _dist(second, "foo_bar-2.0.dist-info", "Metadata-Version: 2.1\nName: foo-bar\nVersion: 2.0\n")
    # spaces around the value, Windows line ends, a long body after the headers
    _dist(
        first,
        "spaced-3.dist-info",
        "Metadata-Version: 2.1\r\nName: spaced\r\nVersion:   3.0.post1  \r\n\r\n"
        + "Version: 9\n" * 100,
    )
    # an .egg-info folder: read by importlib.metadata itself (PKG-INFO)
    _dist(
        first,
        "legacy-0.5.egg-info",
        "Metadata-Version: 1.0\nName: legacy\nVersion: 0.5\n",
        "PKG-INFO",
    )
    # a header folded onto the next line, and a Version header after a blank line
    _dist(first, "folded-1.dist-info", "Name: folded\nVersion: 1.0\n  .dev1\n")
    _dist(first, "late-1.dist-info", "Name: late\n\nVersion: 1.0\n")
    # two versions of one package in the same folder
    _dist(first, "twice-1.0.dist-info", "Name: twice\nVersion: 1.0\n")
    _dist(first, "twice-2.0.dist-info", "Name: twice\nVersion: 2.0\n")
    # no METADATA at all
    _dist(second, "empty-1.dist-info", None)
    # fresh folders: importlib.metadata's per-folder caches cannot hold them yet
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "absent"), str(second)])


NAMES = ("foo-bar", "Foo.Bar", "spaced", "legacy", "folded", "late", "twice", "empty", "absent")


def test_made_up_distributions_read_as_importlib_metadata_reads_them(made_up_path):
    expected = {name: _importlib(name) for name in NAMES}
    assert expected["foo-bar"] == "1.0"  # the first folder on the path wins
    assert expected["spaced"] == "3.0.post1  "  # the e-mail parser keeps trailing spaces
    assert expected["legacy"] == "0.5"
    assert versions(NAMES) == expected


def test_the_fast_path_reads_plain_dist_info_folders_itself(made_up_path, monkeypatch):
    """Only the odd cases go to importlib.metadata (else nothing would be saved)."""
    asked: list[str] = []
    real = package_versions._by_importlib
    monkeypatch.setattr(package_versions, "_by_importlib", lambda n: asked.append(n) or real(n))
    assert versions(("foo-bar", "spaced", "absent")) == {
        "foo-bar": "1.0",
        "spaced": "3.0.post1  ",
        "absent": NOT_INSTALLED,
    }
    assert asked == []
    versions(("legacy", "folded", "twice"))
    assert asked == ["legacy", "folded", "twice"]
