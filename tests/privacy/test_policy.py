"""The privacy policy: one threshold, and one switch for an edition that shows small counts."""

from types import SimpleNamespace

import numpy as np
import pandas as pd

from evalsoc.framework.model import IndicatorSpec
from evalsoc.privacy import PrivacyPolicy, reason, reason_text
from evalsoc.sections.indicators.compute import compute_quantitative


def _frame():
    rng = np.random.default_rng(2)
    return pd.DataFrame({"site": ["a"] * 60 + ["b"] * 40 + ["c"] * 4, "x": rng.normal(size=104)})


def test_policy_reads_the_framework_and_an_edition():
    framework = SimpleNamespace(privacy=SimpleNamespace(min_cell=7))
    assert PrivacyPolicy.of(framework) == PrivacyPolicy(7, "public")
    funder = SimpleNamespace(privacy=SimpleNamespace(min_cell=7, edition="funder"))
    assert PrivacyPolicy.of(funder).threshold == 1 and not PrivacyPolicy.of(funder).suppresses
    assert PrivacyPolicy.of(framework, edition="funder").threshold == 1


def test_funder_edition_shows_the_small_cells_the_public_edition_hides():
    spec = IndicatorSpec.model_validate({"id": "i", "mean": "x", "by": ["site"]})
    public = compute_quantitative(spec, _frame(), PrivacyPolicy(10), 1)
    funder = compute_quantitative(spec, _frame(), PrivacyPolicy(10, "funder"), 1)
    hidden = {c["group"]["site"] for c in public["by"] if c["suppressed"]}
    assert hidden == {"b", "c"}  # c (4 people) and its complement
    assert [c["n"] for c in funder["by"]] == [60, 40, 4]


def test_one_reason_shape_in_two_languages():
    why = reason("small_cell", 10)
    assert why == {
        "code": "small_cell",
        "fr": "moins de 10 personnes : masqué (privacy.min_cell)",
        "en": "fewer than 10 people: suppressed (privacy.min_cell)",
    }
    assert reason_text(why, "fr").startswith("moins de 10 personnes")
    assert reason_text("older text", "fr") == "older text"
