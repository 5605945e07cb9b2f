"""The `sroi:` config: every key's forms, and bad input as clear sentences."""

from __future__ import annotations

import copy
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from evalsoc.errors import FrameworkError
from evalsoc.sections.sroi.config import (
    CapabilityRef,
    EffectRef,
    IndicatorRef,
    SroiSpec,
    UncertainParameter,
)

OUTCOME = {
    "id": "emploi",
    "quantity": 10,
    "proxy": {"value": 1000, "source": "coût évité", "evidence": "amber"},
    "deadweight": 0.2,
    "duration": 3,
}
BASE: dict[str, Any] = {"inputs": [{"label": "Subvention", "amount": 1000}], "outcomes": [OUTCOME]}


def spec_with(**outcome_changes: Any) -> dict:
    raw = copy.deepcopy(BASE)
    raw["outcomes"][0].update(outcome_changes)
    return raw


def error_of(raw: dict) -> str:
    with pytest.raises(ValidationError) as info:
        SroiSpec.model_validate(raw)
    return str(info.value)


def test_defaults() -> None:
    spec = SroiSpec.model_validate(BASE)
    assert spec.currency == "EUR"
    assert spec.adjustments == "multiplicative"
    assert spec.discount_first_year is True
    assert spec.discount_rate.central == 0.035
    assert spec.monte_carlo.draws == 100_000 and spec.monte_carlo.seed is None


@pytest.mark.parametrize(
    ("raw", "central", "low", "high", "distribution"),
    [
        (0.2, 0.2, None, None, None),
        ({"value": 0.2, "low": 0.1, "high": 0.3}, 0.2, 0.1, 0.3, "triangular"),
        ({"low": 0.1, "high": 0.3}, 0.2, 0.1, 0.3, "uniform"),
        ({"distribution": "normal", "mean": 0.25, "sd": 0.05}, 0.25, None, None, "normal"),
        ({"distribution": "beta", "alpha": 2, "beta": 8}, 0.2, None, None, "beta"),
        (
            {"distribution": "triangular", "low": 0.1, "mode": 0.15, "high": 0.4},
            0.15,
            0.1,
            0.4,
            "triangular",
        ),
        ({"value": 0, "reason": "aucun autre acteur"}, 0.0, None, None, None),
    ],
)
def test_uncertain_parameter_forms(
    raw: Any, central: float, low: Any, high: Any, distribution: Any
) -> None:
    spec = SroiSpec.model_validate(spec_with(deadweight=raw))
    param = spec.outcomes[0].deadweight
    assert isinstance(param, UncertainParameter)
    assert param.central == pytest.approx(central)
    assert (param.low, param.high) == (low, high)
    assert param.resolved_distribution == distribution


def test_quantity_references() -> None:
    kinds = {
        "indicator": ({"indicator": "taux", "field": "count"}, IndicatorRef),
        "effect": ({"effect": "effet_emploi", "times": 80}, EffectRef),
        "capability": ({"capability": "pa", "field": "H", "k": "1/3", "times": 120}, CapabilityRef),
    }
    for raw, cls in kinds.values():
        spec = SroiSpec.model_validate(spec_with(quantity=raw))
        assert isinstance(spec.outcomes[0].quantity, cls)
    spec = SroiSpec.model_validate(spec_with(quantity={"effect": "e"}))
    assert spec.outcomes[0].quantity.uncertainty == "ci"
    assert "one result" in error_of(spec_with(quantity={"effect": "e", "indicator": "i"}))
    assert "greater than 0" in error_of(spec_with(quantity={"effect": "e", "times": 0}))
    assert "Extra inputs are not permitted" in error_of(
        spec_with(quantity={"effect": "e", "feild": "x"})
    )


def test_proxy_range_written_flat_or_nested() -> None:
    flat = SroiSpec.model_validate(
        spec_with(proxy={"value": 1000, "low": 800, "high": 1200, "source": "s"})
    )
    nested = SroiSpec.model_validate(
        spec_with(proxy={"value": {"value": 1000, "low": 800, "high": 1200}, "source": "s"})
    )
    assert flat.outcomes[0].proxy.value == nested.outcomes[0].proxy.value
    assert flat.outcomes[0].proxy.value.resolved_distribution == "triangular"


def test_non_monetised_outcome_needs_a_reason() -> None:
    ok = SroiSpec.model_validate(spec_with(proxy="none", reason="pas de proxy crédible"))
    assert ok.outcomes[0].monetised is False
    assert "needs a `reason`" in error_of(spec_with(proxy="none"))
    assert "`reason` explains why an outcome has no proxy" in error_of(spec_with(reason="x"))


def test_discount_rate_and_schedule() -> None:
    raw = copy.deepcopy(BASE)
    raw["discount_rate"] = [{"from": 1, "to": 30, "rate": 0.035}, {"from": 31, "rate": 0.03}]
    spec = SroiSpec.model_validate(raw)
    assert [(s.start, s.end, s.rate) for s in spec.discount_rate] == [
        (1, 30, 0.035),
        (31, None, 0.03),
    ]
    raw["discount_rate"] = [{"from": 1, "to": 30, "rate": 0.035}, {"from": 32, "rate": 0.03}]
    assert "steps must follow one another from year 1 (expected 31)" in error_of(raw)
    raw["discount_rate"] = [{"from": 1, "rate": 0.035}, {"from": 2, "rate": 0.03}]
    assert "only the last step" in error_of(raw)
    raw["discount_rate"] = 1.5
    assert "discount_rate must be between 0 and 1, got 1.5" in error_of(raw)


# ---------------------------------------------------------------------------------------------
# Bad input: clear sentences


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"deadweight": 1.2}, "deadweight must be a share between 0 and 1, got 1.2"),
        ({"attribution": -0.1}, "attribution must be a share between 0 and 1, got -0.1"),
        (
            {"drop_off": {"value": 0.2, "low": 0.1, "high": 1.3}},
            "drop_off (`high`) must be a share between 0 and 1, got 1.3",
        ),
        ({"duration": -2}, "duration must be positive (in years), got -2"),
        ({"duration": 0}, "duration must be positive (in years), got 0"),
        ({"duration": 150}, "duration must be at most 100 years, got 150"),
        ({"quantity": -5}, "quantity must be zero or more, got -5"),
        (
            {"deadweight": {"value": 0.4, "low": 0.1, "high": 0.3}},
            "`value` (0.4) is outside its range [0.1, 0.3]",
        ),
        ({"deadweight": {"low": 0.3, "high": 0.1}}, "`low` (0.3) is greater than `high` (0.1)"),
        ({"deadweight": {"value": 0.2, "low": 0.1}}, "give both `low` and `high`"),
        (
            {"deadweight": {"distribution": "normal", "mean": 0.2}},
            "a normal distribution needs `sd`",
        ),
        (
            {"deadweight": {"distribution": "beta", "alpha": 2}},
            "a beta distribution needs `alpha` and `beta`",
        ),
        (
            {"deadweight": {"distribution": "uniform", "value": 0.2}},
            "a uniform distribution needs `low` and `high`",
        ),
        ({"deadweight": {"value": 0.2, "sd": 0.1}}, "`sd` only applies to `distribution: normal`"),
        ({"deadweight": True}, "expected a number"),
        ({"duration": {"distribution": "beta", "alpha": 2, "beta": 2}}, "only for shares"),
        ({"deadwieght": 0.2}, "Extra inputs are not permitted"),
        ({"proxy": {"value": 1000}}, "a proxy needs its `source`"),
        (
            {"proxy": {"value": 1000, "source": "s", "evidence": "orange"}},
            "'green', 'amber' or 'red'",
        ),
    ],
)
def test_bad_outcome_values_give_clear_messages(changes: dict, message: str) -> None:
    assert message in error_of(spec_with(**changes))


def test_missing_keys_give_clear_messages() -> None:
    raw = spec_with()
    del raw["outcomes"][0]["proxy"]
    assert "an outcome needs a `proxy` (or `proxy: none`" in error_of(raw)
    raw = spec_with()
    del raw["outcomes"][0]["duration"]
    assert "needs a `duration` in years" in error_of(raw)
    raw = spec_with()
    del raw["outcomes"][0]["quantity"]
    assert "needs a `quantity`" in error_of(raw)
    raw = copy.deepcopy(BASE)
    raw["outcomes"] = [OUTCOME, OUTCOME]
    assert "outcome id 'emploi' is used twice" in error_of(raw)
    raw = copy.deepcopy(BASE)
    raw["inputs"] = []
    assert "at least one input" in error_of(raw)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"label": "x"}, "an input is one of"),
        ({"label": "x", "amount": 10, "hours": 5, "rate": 2}, "an input is one of"),
        ({"label": "x", "hours": 5}, "needs both `hours` and `rate`"),
        ({"label": "x", "amount": -10}, "`amount` must be zero or more, got -10"),
    ],
)
def test_bad_inputs(item: dict, message: str) -> None:
    raw = copy.deepcopy(BASE)
    raw["inputs"] = [item]
    assert message in error_of(raw)


def test_error_through_the_loader_names_file_line_and_key(tmp_path: Path) -> None:
    from evalsoc.framework.load import load_framework

    (tmp_path / "people.csv").write_text("id\na1\n", encoding="utf-8")
    path = tmp_path / "framework.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            evalsoc: 1
            id: t
            title: T
            data:
              people:
                file: people.csv
                columns:
                  id: {type: string}
            sroi:
              inputs:
                - {label: Subvention, amount: 1000}
              outcomes:
                - id: emploi
                  quantity: 3
                  proxy: {value: 100, source: x}
                  deadweight: 1.2
                  duration: 1
            """
        ),
        encoding="utf-8",
    )
    with pytest.raises(FrameworkError) as info:
        load_framework(path)
    text = str(info.value)
    assert re.search(r"framework\.yaml:16:\d+: sroi\.outcomes\[0\]\.deadweight", text), text
    assert "deadweight must be a share between 0 and 1, got 1.2" in text
