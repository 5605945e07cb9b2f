"""The Gram-matrix variances (gram.py) against the per-PSU sums they replace, and their limits."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from evalsoc.sections.capabilities import gram
from evalsoc.sections.capabilities.engine import AlkireFoster


def _panel(seed: int = 5, n: int = 900) -> dict[str, np.ndarray]:
    """Persons in 3 strata × 2 waves, unequal weights, a group label, PSUs of 1–4 persons."""
    rng = np.random.default_rng(seed)
    before = rng.random((n, 4)) < 0.45
    after = before & (rng.random((n, 4)) < 0.75)
    person = np.arange(n)
    psu = person // rng.integers(1, 5)  # clusters of persons, read within strata
    return {
        "deprived": np.vstack([before, after]),
        "wave": np.repeat(["0", "1"], n),
        "site": np.tile(rng.choice(["Nord", "Sud", "Étang"], n), 2),
        "stratum": np.tile(person % 3, 2),
        "psu": np.tile(psu, 2),
        "weight": np.tile(rng.choice([1.0, 1.5, 3.25], n), 2),
    }


def _figures(data: dict[str, np.ndarray]) -> tuple[AlkireFoster, dict[str, object]]:
    af = AlkireFoster(
        data["deprived"],
        ["1/6", "1/3", "1/4", "1/4"],
        sample_weight=data["weight"],
        strata=data["stratum"],
        cluster=data["psu"],
        labels={"wave": data["wave"], "site": data["site"]},
    )
    first, later, nord = af.domain(wave="0"), af.domain(wave="1"), af.domain(site="Nord")
    out: dict[str, object] = {}
    for k in (Fraction(1, 4), Fraction(1, 2)):
        out[f"at_k {k}"] = af.at_k(k, later)
        out[f"at_k site {k}"] = af.at_k(k, later & nord)
        out[f"change {k}"] = af.change(k, first, later, years=1.5)
    out["uncensored_se"] = af.uncensored(later)[1].tolist()
    out["empowerment"] = af.empowerment(Fraction(3, 4), later)
    out["parity"] = af.parity(Fraction(3, 4), later & nord, later & ~nord)
    return af, out


def _flatten(value: object, path: str = "") -> dict[str, float]:
    if isinstance(value, dict):
        return {
            k: v for key, item in value.items() for k, v in _flatten(item, f"{path}.{key}").items()
        }
    if isinstance(value, list):
        return {
            k: v for i, item in enumerate(value) for k, v in _flatten(item, f"{path}[{i}]").items()
        }
    return {path: value} if isinstance(value, float) else {}


def test_gram_variances_equal_the_per_psu_sums(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every figure of a stratified, clustered, weighted panel: point estimates bit for bit,
    standard errors and intervals within 1e-12 relative (the sums only run in another order)."""
    data = _panel()
    fast, with_gram = _figures(data)
    assert fast.survey.gram is not None
    monkeypatch.setattr(gram, "MAX_TYPES", 0)  # forces the per-PSU path
    slow, per_psu = _figures(data)
    assert slow.survey.gram is None
    a, b = _flatten(with_gram), _flatten(per_psu)
    assert a.keys() == b.keys() and len(a) > 150
    ses = [key for key in a if "_se" in key]
    assert len(ses) > 55
    for key in a:
        if "_se" in key or "_ci" in key:  # intervals are value ± z·SE
            assert a[key] == pytest.approx(b[key], rel=1e-12, abs=1e-300), key
        else:
            assert a[key] == b[key], key


def test_gram_is_skipped_when_types_are_too_many(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gram, "MAX_TYPES", 3)
    af, _ = _figures(_panel(n=60))
    assert af.survey.gram is None


def test_a_statistic_that_is_not_a_function_of_the_type_is_refused() -> None:
    af, _ = _figures(_panel(n=60))
    assert af.survey.gram is not None
    values = np.arange(af.cells.weight.size, dtype=float)  # differs between cells of one type
    with pytest.raises(AssertionError, match="not a function of the cell type"):
        af.survey.ratio(values, np.ones_like(values))


def test_no_gram_without_psus() -> None:
    """Persons as PSUs without waves: cells already pool persons; the Gram is not needed."""
    data = _panel(n=60)
    af = AlkireFoster(data["deprived"], [1, 1, 1, 1], sample_weight=data["weight"])
    assert af.survey.gram is None


def test_gram_se_matches_an_extended_precision_reference() -> None:
    """A headcount's SE over a two-wave panel of 40,000 persons (persons as PSUs) against the
    per-PSU formula summed in long double: the Gram path is exact to a few units of rounding,
    where plain float64 sums per PSU drift (at 10^6 rows the demo's drifted by 4e-12)."""
    rng = np.random.default_rng(11)
    n = 40_000
    before = rng.random((n, 3)) < 0.4
    after = before & (rng.random((n, 3)) < 0.8)
    person = np.tile(np.arange(n), 2)
    af = AlkireFoster(
        np.vstack([before, after]),
        [1, 1, 1],
        cluster=person,
        labels={"wave": np.repeat(["0", "1"], n)},
    )
    assert af.survey.gram is not None
    first = af.domain(wave="0")
    se = af.at_k(Fraction(1, 3), first)["H_se"]
    cells = af.cells
    poor = (cells.score * 3 >= af.total) & first
    w = cells.weight.astype(np.longdouble)
    a, b = poor.astype(np.longdouble), first.astype(np.longdouble)
    ratio = (w * a).sum() / (w * b).sum()
    z = np.zeros(af.design.unit_stratum.size, dtype=np.longdouble)
    np.add.at(z, cells.unit, w * (a - ratio * b) / (w * b).sum())
    units = z.size
    reference = float(np.sqrt(((z - z.mean()) ** 2).sum() * units / (units - 1)))
    assert se == pytest.approx(reference, rel=1e-14)
