"""results.json's contract: typed models → JSON Schema (format 2), shipped, printed by
`evalsoc schema --results`, checked on every run and on every shipped framework's results."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from tests.conftest import MINI_DATA, MINI_FRAMEWORK, write

import evalsoc
from evalsoc.results_schema import (
    SHIPPED_SCHEMA,
    results_reference_markdown,
    results_schema,
    results_schema_text,
)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_FRAMEWORKS = [
    "frameworks/chantier-insertion.yaml",
    "tests/data/effects/mpdta.yaml",
    "tests/data/sroi/framework.yaml",
    "tests/data/utility/centre-social.yaml",
]


def test_the_shipped_schema_is_the_generated_one():
    shipped = resources.files("evalsoc").joinpath(SHIPPED_SCHEMA).read_text(encoding="utf-8")
    assert shipped == results_schema_text(), "run: python -m evalsoc.results_schema"


def test_schema_command_prints_it():
    proc = subprocess.run(
        [sys.executable, "-m", "evalsoc", "schema", "--results"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(proc.stdout) == results_schema()


def test_docs_hold_the_generated_reference():
    docs = (ROOT / "docs" / "results.md").read_text(encoding="utf-8")
    assert results_reference_markdown() in docs, "refresh docs/results.md's generated section"


@pytest.mark.parametrize("framework", SHIPPED_FRAMEWORKS)
def test_shipped_frameworks_results_validate_against_the_json_schema(framework):
    results = evalsoc.run(str(ROOT / framework))
    data = json.loads(results.to_json())
    assert data["format"] == 2
    jsonschema.Draft202012Validator(results_schema()).validate(data)
    # typed access gives the same numbers as the JSON
    for eid, effect in results.document.effects.items():
        assert effect.estimate == data["effects"][eid]["estimate"]


def test_an_undeclared_key_is_an_internal_error(tmp_path, monkeypatch):
    """A section publishing a private working key fails the run loudly, never silently."""
    from evalsoc.sections.indicators import compute as indicators

    original = indicators.publish_quantitative

    def leaky(*args, **kwargs):
        return {**original(*args, **kwargs), "_groups": [1, 2]}

    monkeypatch.setattr(indicators, "publish_quantitative", leaky)
    write(tmp_path / "people.csv", MINI_DATA)
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
    with pytest.raises(Exception, match="_groups") as caught:
        evalsoc.run(str(fw))
    assert "does not match its contract" in "".join(caught.value.__notes__)


def test_frames_hold_the_published_numbers():
    results = evalsoc.run(str(ROOT / "frameworks/chantier-insertion.yaml"))
    frames = results.to_frames()
    data = results.data
    ind = frames["indicators"].set_index(["indicator", "group"], drop=False)
    overall = ind[ind["group"].isna()].set_index("indicator")
    assert overall.loc["taux_emploi", "value"] == data["indicators"]["taux_emploi"]["value"]
    eff = frames["effects"].set_index("effect")
    assert eff.loc["effet_emploi", "estimate"] == data["effects"]["effet_emploi"]["estimate"]
    assert set(frames["criteria"]["verdict"]) <= {c["verdict"] for c in data["criteria"].values()}
    src = frames["data"].set_index("source")
    assert (src["rows_read"] >= src["rows_used"] + src["rows_quarantined"]).all()
    assert "verdicts:" in results.summary() and "<h4>effects</h4>" in results._repr_html_()
