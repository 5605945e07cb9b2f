"""Each documented framework key given a value of the wrong type (generated from the JSON
Schema over the shipped frameworks): exit 2, and the message names the file, line and key."""

from __future__ import annotations

import re

import pytest
from cli_cases import EXIT_USAGE, invoke
from schema_cases import dotted, mutated_text, wrong_type_cases

CASES = wrong_type_cases()


def test_the_generator_covers_the_documented_keys():
    assert len(CASES) >= 150
    sections = {case.path[0] for case in CASES}
    assert sections >= {"data", "dimensions", "effects", "capabilities", "sroi", "volunteering"}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_wrong_type_is_a_framework_error(case, tmp_path):
    framework = tmp_path / "framework.yaml"
    framework.write_text(mutated_text(case), encoding="utf-8")
    outcome = invoke("validate", framework).expect(EXIT_USAGE)
    # file:line:column: then the key path (or, for a whole-object refusal, the object's path).
    places = [dotted(case.path[:cut]) for cut in range(len(case.path), 0, -1)]
    located = [
        p
        for p in places
        if re.search(rf"framework\.yaml:\d+:\d+: {re.escape(p)}(:|\.|\[|$| )", outcome.output)
    ]
    assert located, outcome.output
    # At most one level above the key itself (an indicator names its kind, a union its branch).
    assert len(case.path) - len(located[0].replace("[", ".[").split(".")) <= 1 or (
        located[0] == places[0]
    ), (located[0], outcome.output)
