"""Krippendorff's alpha against the published worked example and the `krippendorff` package."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from evalsoc.stats import agreement

NAN = np.nan

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers ×
# 12 units, values 1–5, with missing judgements. Published: nominal .743, ordinal .815,
# interval .849, ratio .797.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
]
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


@pytest.mark.parametrize("level", sorted(PUBLISHED))
def test_published_worked_example(level: str) -> None:
    assert round(agreement.alpha(KRIPPENDORFF_2011, level=level), 3) == PUBLISHED[level]


def test_published_example_coincidences() -> None:
    # Section C's coincidence matrix: marginals n_1..n_5 = 9, 13, 10, 5, 3 (n = 40 pairable
    # values; unit 12 has one value only); o_11 = 3 + 2 + 2 = 7, o_12 = 1/3 + 1 = 4/3.
    counts, values = agreement.value_counts(KRIPPENDORFF_2011)
    o = agreement.coincidence_matrix(counts)
    assert values.tolist() == [1, 2, 3, 4, 5]
    assert o.sum(axis=1) == pytest.approx([9, 13, 10, 5, 3])
    assert o[0, 0] == pytest.approx(7.0) and o[0, 1] == pytest.approx(4 / 3)
    assert np.allclose(o, o.T)


def test_labels_with_ordered_domain() -> None:
    names = {1: "very low", 2: "low", 3: "mid", 4: "high", 5: "very high"}
    labelled = [[names.get(v) if v == v else None for v in row] for row in KRIPPENDORFF_2011]
    domain = ["very low", "low", "mid", "high", "very high"]
    assert round(agreement.alpha(labelled, level="ordinal", value_domain=domain), 3) == 0.815
    assert round(agreement.alpha(labelled, level="nominal"), 3) == 0.743


def test_three_coders_example_of_the_krippendorff_package() -> None:
    data = [
        [NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
        [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
        [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4],
    ]
    assert agreement.alpha(data, level="nominal") == pytest.approx(0.691358, abs=1e-6)
    assert agreement.alpha(data, level="interval") == pytest.approx(0.810845, abs=1e-6)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", range(6))
def test_matches_krippendorff_package_on_random_data(level: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    raters, units = int(rng.integers(2, 9)), int(rng.integers(5, 80))
    truth = rng.integers(1, 6, size=units)
    data = (truth + rng.integers(-1, 2, size=(raters, units))).clip(1, 5).astype(float)
    data[rng.random(data.shape) < 0.25] = NAN
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert agreement.alpha(data, level=level) == pytest.approx(expected, abs=1e-10)


def test_long_counts_equal_wide_counts() -> None:
    wide = np.array(KRIPPENDORFF_2011)
    counts, _ = agreement.value_counts(wide)
    raters, units = np.nonzero(~np.isnan(wide))
    long = agreement.counts_from_long(units, wide[raters, units].astype(int) - 1, 5)
    assert np.array_equal(long, counts)


def test_perfect_and_degenerate_agreement() -> None:
    assert agreement.alpha([[1, 2, 3, 1], [1, 2, 3, 1]], level="ordinal") == pytest.approx(1.0)
    # Every value identical: expected disagreement is 0 and alpha is undefined.
    assert np.isnan(agreement.alpha([[2, 2, 2], [2, 2, 2]], level="nominal"))


def test_bootstrap_is_the_unit_resampling_bootstrap_and_is_seeded() -> None:
    counts, values = agreement.value_counts(KRIPPENDORFF_2011)
    out = agreement.bootstrap_alpha(
        counts, level="ordinal", values=values, n_boot=250, rng=np.random.default_rng(3), chunk=60
    )
    again = agreement.bootstrap_alpha(
        counts, level="ordinal", values=values, n_boot=250, rng=np.random.default_rng(3), chunk=60
    )
    assert out == again
    assert out["alpha"] == pytest.approx(0.8154, abs=1e-4)
    assert out["n_units"] == 11  # unit 12 has a single value: not pairable
    # Same draws, computed the slow way: resample pairable units, recompute alpha each time.
    usable = agreement.pairable(counts)
    rng = np.random.default_rng(3)
    slow = []
    for start in range(0, 250, 60):
        for row in rng.integers(0, len(usable), size=(min(60, 250 - start), len(usable))):
            slow.append(agreement.alpha(counts=usable[row], level="ordinal", value_domain=values))
    slow = np.array(slow)
    slow = slow[np.isfinite(slow)]
    assert out["ci_low"] == pytest.approx(np.quantile(slow, 0.025), abs=1e-12)
    assert out["ci_high"] == pytest.approx(np.quantile(slow, 0.975), abs=1e-12)
    assert out["p_below_min"] == pytest.approx(np.mean(slow < 0.667), abs=1e-12)
    assert out["ci_low"] < out["alpha"] <= out["ci_high"]


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="2-D"):
        agreement.alpha([1, 2, 3])
    with pytest.raises(ValueError, match="outside the value domain"):
        agreement.alpha([[1, 2], [1, 7]], value_domain=[1, 2, 3])
    with pytest.raises(ValueError, match="unknown level"):
        agreement.alpha([[1, 2], [1, 2]], level="cardinal")
