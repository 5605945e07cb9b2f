"""The section registry: one list that the pipeline, validation and results.json loop over."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import MINI_DATA, MINI_FRAMEWORK, write

from evalsoc.framework.columns import READS_KEY, column_references
from evalsoc.framework.load import load_framework
from evalsoc.framework.model import Framework
from evalsoc.sections.registry import SECTIONS, Section, compute_order, result_keys

ROOT = Path(__file__).resolve().parents[2]


def test_sections_run_after_what_they_need():
    order = [s.key for s in compute_order()]
    for section in SECTIONS:
        for need in section.needs:
            assert order.index(need) < order.index(section.key), (section.key, need)
    assert order[0] == "indicators" and order[-1] == "criteria"


def test_circular_needs_are_refused():
    a = Section("a", "m:f", needs=("b",))
    b = Section("b", "m:f", needs=("a",))
    with pytest.raises(RuntimeError, match="circle"):
        compute_order((a, b))


def test_every_section_with_config_is_a_framework_field():
    """A section's config key is a Framework field (no section the YAML cannot reach)."""
    for section in SECTIONS:
        if section.specs is None:
            assert section.key in Framework.model_fields, section.key


def test_results_json_holds_exactly_the_registered_sections(tmp_path):
    write(tmp_path / "people.csv", MINI_DATA)
    fw = write(tmp_path / "framework.yaml", MINI_FRAMEWORK)
    subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(fw), "--out", str(tmp_path / "out")],
        check=True,
        capture_output=True,
    )
    data = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert list(data) == [
        "format",
        "framework",
        "data",
        *result_keys(),
        "privacy",
        "warnings",
        "provenance",
    ]


def test_column_references_walk_nested_entries():
    fw = load_framework(ROOT / "frameworks" / "chantier-insertion.yaml")
    refs = [
        ref
        for section in SECTIONS
        for loc, entry, source in section.entries(fw)
        for ref in column_references(entry, loc, source)
    ]
    locs = {ref.loc for ref in refs}
    # a capability dimension's items, an effect's outcome and cluster, a rubric's level column
    assert any(loc[0] == "capabilities" and loc[-1] == "items" for loc in locs)
    assert ("effects", 0, "outcome") in locs
    assert any(loc[0] == "dimensions" and loc[-2:] == ("rubric", "level") for loc in locs)
    assert all(ref.source in fw.data for ref in refs)


def test_optional_columns_are_checked_only_when_written():
    from evalsoc.sections.qualitative.config import RubricArgs

    assert RubricArgs.model_fields["role"].json_schema_extra == {READS_KEY: "optional_column"}
    quiet = list(column_references(RubricArgs(), ("r",), "s"))
    assert [r.loc for r in quiet] == [("r", "level"), ("r", "rater")]
    loud = list(column_references(RubricArgs(role="fonction"), ("r",), "s"))
    assert ("r", "role") in [r.loc for r in loud]
