"""Design-based estimators against R `survey` on its own api and fpc data (tests/data/survey).

Published: survey's `example(api)` output (tests/testoutput/api.Rout.saved of survey 4.5, printed
to 5 significant digits), tests/domain.Rout.save and tests/testoutput/caleg.Rout.save. Peer:
R 4.2.2 with survey 4.1-1 (Debian r-cran-survey), the calls of tests/data/survey/peer_values.R,
printed with 12 digits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalsoc.stats import survey

DATA = Path(__file__).resolve().parents[1] / "data" / "survey"


@pytest.fixture(scope="module")
def strat() -> tuple[pd.DataFrame, survey.Design]:
    # dstrat <- svydesign(id=~1, strata=~stype, weights=~pw, data=apistrat, fpc=~fpc)
    d = pd.read_csv(DATA / "apistrat.csv")
    return d, survey.make_design(d.pw.to_numpy(), d.stype.to_numpy(), None, d.fpc.to_numpy())


@pytest.fixture(scope="module")
def clus1() -> tuple[pd.DataFrame, survey.Design]:
    # dclus1 <- svydesign(id=~dnum, weights=~pw, data=apiclus1, fpc=~fpc)
    d = pd.read_csv(DATA / "apiclus1.csv")
    return d, survey.make_design(d.pw.to_numpy(), None, d.dnum.to_numpy(), d.fpc.to_numpy())


def _all(d: pd.DataFrame) -> np.ndarray:
    return np.ones(len(d), dtype=bool)


def test_published_means_and_totals(strat, clus1) -> None:
    d, design = strat
    m = survey.mean(design, d.api00.to_numpy(float), _all(d))
    assert (round(m.value, 2), round(m.se, 4)) == (662.29, 9.4089)  # svymean(~api00, dstrat)
    t = survey.total(design, d.enroll.to_numpy(float), _all(d))
    assert (round(t.value), round(t.se)) == (3687178, 114642)  # svytotal(~enroll, dstrat)
    t = survey.total(design, d["api.stu"].to_numpy(float), _all(d))
    assert (round(t.value), round(t.se)) == (3086009, 99477)  # svytotal(~api.stu, dstrat)
    d, design = clus1
    m = survey.mean(design, d.api00.to_numpy(float), _all(d))
    assert (round(m.value, 2), round(m.se, 3)) == (644.17, 23.542)  # svymean(~api00, dclus1)
    t = survey.total(design, d.enroll.to_numpy(float), _all(d))
    assert (round(t.value), round(t.se)) == (3404940, 932235)  # svytotal(~enroll, dclus1)


def test_with_replacement_uses_first_stage_only() -> None:
    # dclus2wr <- svydesign(id=~dnum+snum, weights=~pw, data=apiclus2): 670.81, SE 30.712
    d = pd.read_csv(DATA / "apiclus2.csv")
    design = survey.make_design(d.pw.to_numpy(), None, d.dnum.to_numpy())
    m = survey.mean(design, d.api00.to_numpy(float), _all(d))
    assert (round(m.value, 2), round(m.se, 3), m.df) == (670.81, 30.712, 39)
    assert m.se == pytest.approx(30.7115763093, rel=1e-10)  # R 4.2.2 / survey 4.1-1


def test_ratio_published_and_peer(strat, clus1) -> None:
    d, design = strat
    r = survey.ratio(design, d["api.stu"].to_numpy(float), d.enroll.to_numpy(float), _all(d))
    # caleg.Rout.save: predict(svyratio(~api.stu, ~enroll, dstrat, separate=FALSE),
    # total=3811472) = 3190038, se 29565.98: ratio and SE times the population enrolment
    assert round(r.value * 3811472) == 3190038
    assert round(r.se * 3811472, 2) == 29565.98
    assert r.value == pytest.approx(0.83695688694052, rel=1e-11)
    assert survey.t_interval(r) == pytest.approx((0.821659266423, 0.852254507458), rel=1e-10)
    d, design = clus1
    r = survey.ratio(design, d["api.stu"].to_numpy(float), d.enroll.to_numpy(float), _all(d))
    assert (r.value, r.se) == pytest.approx((0.84970874172449, 0.00838629716939), rel=1e-10)
    assert survey.t_interval(r) == pytest.approx((0.831721923195, 0.867695560254), rel=1e-10)


def test_t_interval_uses_degf(strat, clus1) -> None:
    d, design = clus1
    m = survey.mean(design, d.api00.to_numpy(float), _all(d))
    assert m.df == 14  # degf(dclus1): 15 districts − 1 stratum
    # confint(svymean(~api00, dclus1), df=degf(dclus1))
    assert survey.t_interval(m) == pytest.approx((593.676314463, 694.662483351), rel=1e-11)
    d, design = strat
    m = survey.total(design, d.enroll.to_numpy(float), _all(d))
    assert m.df == 197
    assert survey.t_interval(m) == pytest.approx((3461095.00772, 3913260.05716), rel=1e-11)


def test_domains_follow_svyby(clus1) -> None:
    d, design = clus1
    y = d.api00.to_numpy(float)
    # svyby(~api00, ~stype, dclus1, svymean); confint(svymean(~api00, subset(dclus1, stype ==
    # g)), df = degf(subset(...))): the domain keeps the design's 15 PSUs for the variance,
    # and its own PSUs for the degrees of freedom
    expected = {
        "E": (648.868055556, 22.3624088938, 14, 600.90545865, 696.830652461),
        "H": (618.571428571, 38.0202493594, 7, 528.667824885, 708.475032258),
        "M": (631.44, 31.6094652272, 11, 561.868036116, 701.011963884),
    }
    for group, (value, se, df, low, high) in expected.items():
        m = survey.mean(design, y, (d.stype == group).to_numpy())
        assert (m.value, m.se) == pytest.approx((value, se), rel=1e-10)
        assert m.df == df
        assert survey.t_interval(m) == pytest.approx((low, high), rel=1e-10)


def test_domain_with_strata_published() -> None:
    # domain.Rout.save: svyby(~x, ~I(x>4), design=dfpc, svymean) with
    # dfpc <- svydesign(id=~psuid, strat=~stratid, weight=~weight, data=fpc, nest=TRUE)
    d = pd.read_csv(DATA / "fpc.csv")
    design = survey.make_design(d.weight.to_numpy(), d.stratid.to_numpy(), d.psuid.to_numpy())
    x = d.x.to_numpy()
    low = survey.mean(design, x, x <= 4)
    high = survey.mean(design, x, x > 4)
    assert (low.value, low.se) == pytest.approx((3.314286, 0.3117042), abs=5e-7)
    assert (high.value, high.se) == pytest.approx((6.195, 0.7555129), abs=5e-7)


def test_proportion_logit_interval(strat, clus1) -> None:
    d, design = strat
    y = (d["sch.wide"] == "Yes").to_numpy(float)
    # svyciprop(~I(sch.wide == "Yes"), dstrat): method "logit", df = degf(design)
    p = survey.mean(design, y, _all(d))
    assert (p.value, p.se) == pytest.approx((0.827948011002, 0.0243447801131), rel=1e-8)
    assert survey.logit_interval(p) == pytest.approx((0.7745396543516, 0.8708148545445), rel=1e-8)
    # svyciprop on subset(dstrat, comp.imp == "No"): degf 81 of the domain
    p = survey.mean(design, y, (d["comp.imp"] == "No").to_numpy())
    assert p.df == 81
    assert survey.logit_interval(p) == pytest.approx((0.433788139711, 0.658993546756), rel=1e-8)
    p = survey.mean(design, y, (d["comp.imp"] == "Yes").to_numpy())
    assert survey.logit_interval(p) == pytest.approx((0.917338461154, 0.9924641497674), rel=1e-8)
    d, design = clus1
    p = survey.mean(design, (d.both == "Yes").to_numpy(float), _all(d))
    assert survey.logit_interval(p) == pytest.approx((0.6571809630092, 0.7868255216425), rel=1e-8)
    # R's svyciprop estimate comes from svyglm's iterations: equal to the weighted mean to 1e-9


def test_count_is_a_weighted_total(clus1) -> None:
    d, design = clus1
    # svytotal(~I(sch.wide == "Yes"), dclus1): TRUE 5415.519409180, SE 1296.599256497
    t = survey.total(design, (d["sch.wide"] == "Yes").to_numpy(float), _all(d))
    assert (t.value, t.se) == pytest.approx((5415.51940918, 1296.599256497), rel=1e-10)


def test_without_fpc_is_with_replacement(clus1) -> None:
    d, _ = clus1
    design = survey.make_design(d.pw.to_numpy(), None, d.dnum.to_numpy())
    m = survey.mean(design, d.api00.to_numpy(float), _all(d))
    # svymean(~api00, svydesign(id=~dnum, weights=~pw, data=apiclus1))
    assert m.se == pytest.approx(23.7790107209, rel=1e-10)


def test_lonely_psu(strat) -> None:
    d, _ = strat
    rows = pd.concat([d[d.stype != "M"], d[d.stype == "M"].head(1)])
    args = (rows.pw.to_numpy(), rows.stype.to_numpy(), None)
    with pytest.raises(survey.DesignError) as caught:  # R: "Stratum (M) has only one PSU"
        survey.make_design(*args)
    assert caught.value.problem == "lonely_psu" and caught.value.rows == [150]
    design = survey.make_design(*args, lonely_psu="certainty")
    m = survey.mean(design, rows.api00.to_numpy(float), _all(rows))
    # options(survey.lonely.psu = "certainty"): 666.668146242, SE 10.890177068
    assert (m.value, m.se) == pytest.approx((666.668146242, 10.890177068), rel=1e-10)


@pytest.mark.parametrize(
    ("weights", "fpc", "problem"),
    [
        ([1.0, 0.0, 2.0, 1.0], None, "weight"),
        ([1.0, np.nan, 2.0, 1.0], None, "weight"),
        ([1.0, 1.0, 1.0, 1.0], [10.0, 10.0, 3.0, 12.0], "fpc_varies"),
        ([1.0, 1.0, 1.0, 1.0], [1.5, 1.5, 10.0, 10.0], "fpc_size"),
    ],
)
def test_bad_designs(weights, fpc, problem) -> None:
    strata = np.array(["a", "a", "b", "b"])
    with pytest.raises(survey.DesignError) as caught:
        survey.make_design(np.array(weights), strata, None, None if fpc is None else np.array(fpc))
    assert caught.value.problem == problem


def test_fraction_and_population_size_agree(strat) -> None:
    d, design = strat
    n_h = d.groupby("stype").stype.transform("size").to_numpy(float)
    by_fraction = survey.make_design(d.pw.to_numpy(), d.stype.to_numpy(), None, n_h / d.fpc)
    a = survey.mean(design, d.api00.to_numpy(float), _all(d))
    b = survey.mean(by_fraction, d.api00.to_numpy(float), _all(d))
    assert b.se == pytest.approx(a.se, rel=1e-12)
