"""Territorial references (sections/indicators/references.py) through `evalsoc run` on
tests/data/practice/references.yaml: 40 people, 24 in work, ages 20..59 (mean 39.5).

Pinned peers (computed once): statsmodels 0.15.0
`proportion_confint(24, 40, method="wilson")` = (0.44595893660346186, 0.7365167431570808);
scipy 1.17.1 `t.interval(0.95, 39, loc=39.5, scale=11.690451944500122 / sqrt(40))` =
(35.76121208502491, 43.23878791497509); z = `norm.ppf(0.975)` = 1.959963984540054.
"""

from __future__ import annotations

import math

import pytest
from tests.practice_run import cli, run_practice, variant

Z = 1.959963984540054
WILSON = (0.44595893660346186, 0.7365167431570808)
T_AGE = (35.76121208502491, 43.23878791497509)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out = tmp_path_factory.mktemp("references")
    return run_practice("references.yaml", out / "fr")


def test_proportion_against_a_reference_with_an_interval(run):
    ind = run[0]["indicators"]["taux_emploi"]
    assert (ind["ci_low"], ind["ci_high"]) == pytest.approx(WILSON, abs=1e-12)
    first = ind["references"][0]
    # By hand: se_ind = (0.73652 − 0.44596) / (2 × 1.96) = 0.074123; se_ref = 0.06 / 3.91993
    # = 0.015306; margin = 1.96 × √(0.074123² + 0.015306²) = 0.14834 < d = 0.60 − 0.40 = 0.20.
    se_ind = (WILSON[1] - WILSON[0]) / (2 * Z)
    se_ref = 0.06 / (2 * Z)
    assert first["se"] == pytest.approx(0.015306, abs=1e-6)
    assert first["se"] == pytest.approx(se_ref)
    assert first["margin"] == pytest.approx(0.1483440586518805, abs=1e-12)
    assert first["margin"] == pytest.approx(Z * math.sqrt(se_ind**2 + se_ref**2))
    assert first["difference"] == pytest.approx(0.20)
    assert first["difference_relative"] == pytest.approx(0.5)
    assert first["rule"] == "combined" and first["beyond_uncertainty"] is True


def test_reference_without_uncertainty_uses_the_indicator_interval(run):
    second = run[0]["indicators"]["taux_emploi"]["references"][1]
    # 0.55 lies inside the Wilson interval [0.446, 0.737]: the 5-point gap is within it.
    assert second["difference"] == pytest.approx(0.05)
    assert second["rule"] == "indicator_interval" and second["beyond_uncertainty"] is False
    assert second["se"] is None and second["margin"] is None


def test_exact_count_against_a_reference_with_a_standard_error(run):
    ref = run[0]["indicators"]["personnes_emploi"]["references"][0]
    # 24 − 30 = −6; margin 1.96 × 2 = 3.92: beyond.
    assert ref["difference"] == -6
    assert ref["margin"] == pytest.approx(3.919927969080108)
    assert ref["rule"] == "reference_interval" and ref["beyond_uncertainty"] is True


def test_mean_against_a_reference_with_a_standard_error(run):
    ind = run[0]["indicators"]["age_moyen"]
    assert (ind["ci_low"], ind["ci_high"]) == pytest.approx(T_AGE, abs=1e-9)
    ref = ind["references"][0]
    # se_ind = 3.73879 / 1.95996 = 1.90758 (read from the t interval); margin = 1.96 ×
    # √(1.90758² + 0.5²) = 3.8651 > |39.5 − 42| = 2.5: within.
    assert ref["margin"] == pytest.approx(3.865087292460201, abs=1e-9)
    assert ref["difference"] == -2.5 and ref["beyond_uncertainty"] is False


def test_a_suppressed_indicator_shows_no_difference(run):
    ind = run[0]["indicators"]["emploi_sud"]  # 6 people < min_cell 10
    assert ind["suppressed"] is True
    ref = ind["references"][0]
    assert ref["suppressed"] is True and ref["reason"]["code"] == "small_cell"
    for key in ("difference", "difference_relative", "beyond_uncertainty", "margin"):
        assert ref[key] is None
    assert ref["value"] == 0.3  # the published reference itself is still shown


def test_report_shows_the_comparison_in_french_and_english(run, tmp_path):
    html = run[1]
    assert (
        "Référence territoriale « Taux d&#39;emploi du quartier » — Quartier des Tilleuls" in html
    )
    assert "Écart : +20,0\u00a0points ; l&#39;écart dépasse l&#39;incertitude" in html
    assert "l&#39;écart reste dans l&#39;incertitude" in html
    assert "Écart non publié : moins de 10 personnes" in html
    _, english = run_practice("references.yaml", tmp_path / "en", lang="en")
    assert (
        "Territorial reference “Neighbourhood employment rate” — Les Tilleuls neighbourhood"
        in english
    )
    assert "Difference: +20.0\u00a0points; the difference exceeds the uncertainty" in english
    assert "Difference not published: fewer than 10 people" in english
    assert "Écart" not in english


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("value: 0.55", "value: 55", "write 23 % as 0.23"),
        ("high: 0.43", "high: 0.39", "outside its interval"),
        ("high: 0.43", "high: 0.43\n                se: 0.01", "not both"),
        ("high: 0.43", "se: 0.01", "needs both `low` and `high`"),
        ("year: 2024", "year: '2024'", "year"),
    ],
)
def test_bad_reference_is_a_framework_error_with_its_line(tmp_path, old, new, message):
    path = variant(tmp_path, "references.yaml", old, new)
    done = cli("run", str(path), "--out", str(tmp_path / "out"), "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert "references.yaml:" in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr


def test_a_rubric_cannot_carry_references(tmp_path):
    from evalsoc.framework.model import IndicatorSpec

    with pytest.raises(ValueError, match="cannot be set beside a reference"):
        IndicatorSpec.model_validate(
            {
                "id": "r",
                "rubric": {"data": "j"},
                "references": [{"value": 1, "source": "s", "year": 2020, "territory": "t"}],
            }
        )


def test_a_reference_outside_0_1_for_a_proportion_is_worded_in_french(tmp_path):
    from evalsoc.errors import ConfigValueError
    from evalsoc.sections.indicators.references import ReferenceSpec, check_references

    ref = ReferenceSpec.model_validate(
        {"value": 23, "source": "Insee", "year": 2021, "territory": "Lyon"}
    )
    with pytest.raises(ConfigValueError) as caught:
        check_references("proportion", [ref], None)
    assert caught.value.code == "reference_not_a_proportion"
    assert str(caught.value) == (
        "reference 1 (Insee, 2021): a proportion is compared with a proportion between 0 and 1; "
        "`value: 23.0` is not one (write 23 % as 0.23)"
    )
    assert caught.value._problem.text("fr") == (
        "référence 1 (Insee, 2021) : un indicateur proportion se compare à une proportion entre "
        "0 et 1 ; `value: 23.0` n'en est pas une (écrivez 23 % sous la forme 0.23)"
    )
