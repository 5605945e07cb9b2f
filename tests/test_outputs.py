"""Outputs are written atomically, and the Python API mirrors the CLI."""

from __future__ import annotations

import pytest

import evalsoc
from evalsoc.pipeline import run_framework


def test_failed_render_leaves_previous_outputs_untouched(mini, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run_framework(mini, out_dir=out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}

    def broken(_results):
        raise RuntimeError("disk full while rendering")

    monkeypatch.setattr("evalsoc.report.html.render_report", broken)
    with pytest.raises(RuntimeError):
        run_framework(mini, out_dir=out)
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert after == before
    # no staging folder left behind
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_python_api(mini):
    framework = evalsoc.load(mini)
    results = evalsoc.run(framework)
    table = results.to_frame()
    overall = table[(table.indicator == "taux") & table.group.isna()]
    assert overall["value"].item() == pytest.approx(0.6)
    assert set(table[table.indicator == "taux"].group.dropna()) == {"site=nord", "site=sud"}
    assert "<table" in results._repr_html_()
    assert evalsoc.run(mini).to_json() == results.to_json()
