"""A framework file is validated by a Framework built with only the sections it declares
(framework/section_models.py, issue 16 start-up): its values and its errors must be exactly
those of the full Framework."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from evalsoc.framework.declared_model import framework_model
from evalsoc.framework.load import load_framework, read_yaml, validation_problems
from evalsoc.framework.model import Framework
from evalsoc.framework.section_models import LAZY_SECTIONS

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(
    [*ROOT.glob("frameworks/*.yaml"), *ROOT.glob("frameworks/network/*.yaml")]
    + [*ROOT.glob("tests/data/effects/*.yaml"), ROOT / "tests/data/sroi/framework.yaml"]
    + [ROOT / "tests/data/capability/mpi_syn_cdta.yaml"]
)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_frameworks_same_values_as_the_full_model(path):
    data, _ = read_yaml(path)
    lazy = load_framework(path)
    full = Framework.model_validate(data)
    assert type(lazy).declared_sections == frozenset(data) & frozenset(LAZY_SECTIONS)
    assert lazy.model_dump(exclude={"base_dir", "source_path"}) == full.model_dump(
        exclude={"base_dir", "source_path"}
    )


def test_a_file_without_optional_sections_gets_their_defaults():
    model = framework_model({"evalsoc", "id", "title", "dimensions"})
    assert model is not Framework and issubclass(model, Framework)
    assert model.__name__ == "Framework"
    fw = model.model_validate({"evalsoc": 1, "id": "x", "title": "x"})
    assert (fw.effects, fw.capabilities, fw.sroi, fw.narrative, fw.valuation) == (
        [],
        [],
        None,
        None,
        None,
    )
    assert framework_model(["evalsoc", "id"]) is model  # one class per set of sections
    assert framework_model(LAZY_SECTIONS) is Framework


BAD = {
    # An error inside a declared lazy section, beside a core one.
    "inside a section": "evalsoc: 1\nid: x\ntitle: x\nprivacy: {min_cell: 0}\n"
    "effects:\n  - {id: e, design: did, outcom: y}\n",
    # A misspelt section key: 'did you mean' lists the sections the file did not declare.
    "misspelt section": "evalsoc: 1\nid: x\ntitle: x\nvolunteerin: {}\n",
    "wrong type": "evalsoc: 1\nid: x\ntitle: x\nsroi: 3\ncapabilities: {a: 1}\nnarrative: [1]\n",
    "null block": "evalsoc: 1\nid: x\ntitle: x\ncosts:\nresources: {hours: 1}\n",
}


@pytest.mark.parametrize("name", BAD)
def test_errors_identical_to_the_full_model(tmp_path, name):
    path = tmp_path / "f.yaml"
    path.write_text(BAD[name], encoding="utf-8")
    data, positions = read_yaml(path)
    found = []
    for model in (framework_model(data), Framework):
        with pytest.raises(ValidationError) as caught:
            model.model_validate(data)
        found.append(
            [str(p) for p in validation_problems(caught.value, str(path), positions, model)]
        )
    lazy, full = found
    assert lazy and lazy == full
