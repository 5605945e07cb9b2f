"""The keys of the designs iv, rd and matching are checked when the framework is loaded."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evalsoc.sections.effects.config import EffectSpec

BASE = {"id": "e", "data": "d", "outcome": "y"}


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"design": "iv", "endogenous": "x"}, "needs `instruments`"),
        ({"design": "iv", "instruments": ["z"]}, "needs `endogenous`"),
        ({"design": "rd", "running": "score"}, "needs `cutoff`"),
        ({"design": "rd", "cutoff": 0}, "needs `running`"),
        ({"design": "matching"}, "needs `treatment`"),
        ({"design": "matching", "treatment": "t", "ratio": 0}, "greater than or equal to 1"),
        ({"design": "difference", "treatment": "t", "inference": "bootstrap"}, "asymptotic"),
        ({"design": "rd", "running": "s", "cutoff": 0, "treated_side": "left"}, "above"),
        ({"design": "iv", "instruments": ["z"], "endogenous": "x", "instrument": "z"}, "extra"),
    ],
)
def test_design_keys_are_checked(extra, message):
    with pytest.raises(ValidationError, match=message):
        EffectSpec(**BASE, **extra)


def test_defaults_and_lists():
    spec = EffectSpec(**BASE, design="iv", instruments="z", endogenous="x")
    assert spec.instruments == ["z"] and spec.iv_method == "2sls"
    assert spec.design_columns() == ["z", "x"]
    rd = EffectSpec(**BASE, design="rd", running="s", cutoff=1.5)
    assert (rd.kernel, rd.polynomial, rd.treated_side, rd.bandwidth) == (
        "triangular",
        1,
        "above",
        None,
    )
    m = EffectSpec(**BASE, design="matching", treatment="t", exact="site")
    assert (m.match_method, m.ratio, m.replace, m.exact) == ("nearest", 1, False, ["site"])
    s = EffectSpec(**BASE, design="staggered_did", unit="u", time="t", first_treated="g")
    assert s.est_method == "dr"
