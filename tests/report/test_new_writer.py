"""Adding an output writer is one module + one line in `WRITERS` (issue 9, "done when"): shown
with a throwaway Markdown writer, plugged in from outside the package and chosen by name as
`--format` does, through the whole pipeline and the output folder's manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalsoc.report import writers
from evalsoc.report.writers import WRITERS, parse_formats

WRITER_MODULE = '''
"""A throwaway writer: one Markdown line per indicator."""
from pathlib import Path

FILENAME = "indicators.md"


def write(results, folder: Path) -> Path:
    lines = [f"- {key}: {body.get('value')}" for key, body in results.data["indicators"].items()]
    path = folder / FILENAME
    path.write_text("\\n".join(lines) + "\\n", encoding="utf-8")
    return path
'''


def test_a_throwaway_writer_is_one_module_and_one_line(
    mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evalsoc.pipeline import run_framework

    plugin = tmp_path / "plugin"
    plugin.mkdir()
    (plugin / "throwaway_writer.py").write_text(WRITER_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(plugin))
    monkeypatch.setitem(WRITERS, "markdown", "throwaway_writer")  # the one registry line

    formats = parse_formats("markdown,json")
    assert formats == ("json", "markdown")  # registry order, as for the shipped formats
    writers.check_formats(formats)
    out = tmp_path / "out"
    run_framework(str(mini), out_dir=out, formats=formats)

    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    lines = (out / "indicators.md").read_text(encoding="utf-8").splitlines()
    assert lines == [f"- {k}: {b.get('value')}" for k, b in results["indicators"].items()]
    assert "- taux: 0.6" in lines  # 3 of the 5 people employed
    assert not (out / "report.html").exists()  # only the formats asked for
    manifest = json.loads((out / ".evalsoc-manifest.json").read_text(encoding="utf-8"))
    assert "indicators.md" in manifest["files"]  # written by evalsoc: a later run may replace it
