"""Design-based indicators through `evalsoc run` on R survey's api samples (tests/data/survey):
the figures of `example(api)` (survey's published output), R 4.2.2 / survey 4.1-1 for the rest
(tests/data/survey/peer_values.R), the privacy rule on respondents, and the refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from evalsoc.errors import DataPolicyError, FrameworkError
from evalsoc.pipeline import run_framework

DATA = Path(__file__).resolve().parents[2] / "data" / "survey"


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("api") / "out"
    run_framework(str(DATA / "api.yaml"), out_dir=out, lang="fr")
    results = json.loads((out / "results.json").read_text("utf-8"))
    return results["indicators"], (out / "report.html").read_text("utf-8")


def test_published_figures(run) -> None:
    ind, _ = run
    strat, clus1 = ind["strat_api00"], ind["clus1_api00"]
    assert (round(strat["value"], 2), round(strat["se"], 4)) == (662.29, 9.4089)
    assert (round(clus1["value"], 2), round(clus1["se"], 3)) == (644.17, 23.542)
    assert (round(ind["strat_enroll"]["value"]), round(ind["strat_enroll"]["se"])) == (
        3687178,
        114642,
    )
    assert (round(ind["clus1_enroll"]["value"]), round(ind["clus1_enroll"]["se"])) == (
        3404940,
        932235,
    )
    clus2 = ind["clus2_api00"]  # dclus2wr: two stages with replacement = first stage only
    assert (round(clus2["value"], 2), round(clus2["se"], 3)) == (670.81, 30.712)


def test_intervals_and_domains_equal_r(run) -> None:
    ind, _ = run
    clus1 = ind["clus1_api00"]
    assert clus1["df"] == 14 and clus1["n"] == 183
    assert (clus1["ci_low"], clus1["ci_high"]) == pytest.approx((593.676314463, 694.662483351))
    by = {c["group"]["stype"]: c for c in clus1["by"]}
    # svyby(~api00, ~stype, dclus1, svymean); df of each domain's PSUs
    assert (by["H"]["value"], by["H"]["se"], by["H"]["df"]) == pytest.approx(
        (618.571428571, 38.0202493594, 7)
    )
    assert (by["M"]["ci_low"], by["M"]["ci_high"]) == pytest.approx((561.868036116, 701.011963884))
    strat = {c["group"]["comp_imp"]: c for c in ind["strat_api00"]["by"]}
    assert (strat["No"]["value"], strat["No"]["se"]) == pytest.approx(
        (635.412356032, 15.7891931557)
    )
    assert (strat["Yes"]["value"], strat["Yes"]["se"]) == pytest.approx(
        (676.402286067, 11.7146787699)
    )
    rate = ind["clus1_tested"]  # svyratio(~api.stu, ~enroll, dclus1)
    assert (rate["value"], rate["se"]) == pytest.approx((0.84970874172449, 0.00838629716939))
    prop = ind["clus1_both"]  # svyciprop(~I(both == "Yes"), dclus1)
    assert (prop["ci_low"], prop["ci_high"]) == pytest.approx((0.6571809630092, 0.7868255216425))
    assert prop["count"] == 133  # schools surveyed with the trait, unweighted
    count = ind["clus1_schwide"]  # svytotal(~I(sch.wide == "Yes"), dclus1)
    assert (count["value"], count["se"]) == pytest.approx((5415.51940918, 1296.599256497))
    assert ind["clus1_unweighted"]["value"] == pytest.approx(644.1693989071)  # plain mean
    assert "design" not in ind["clus1_unweighted"]
    assert ind["strat_api00"]["design"] == {
        "weights": "pw",
        "strata": "stype",
        "psu": None,
        "fpc": "fpc",
        "replacement": False,
        "lonely_psu": "fail",
        "n_psu": 200,
        "n_strata": 3,
        "df": 197,
        "variance": "Taylor linearisation",
    }


def test_indicator_design_and_where_domain(run) -> None:
    ind, _ = run
    # svymean(~api00, subset(dclus1, stype == "E")): the subset keeps the 15 districts
    elementary = ind["clus1_elementary"]
    assert (elementary["value"], elementary["se"]) == pytest.approx((648.868055556, 22.3624088938))
    assert elementary["df"] == 14 and elementary["n"] == 144
    assert elementary["design"]["psu"] == "dnum"


def test_privacy_counts_respondents(run) -> None:
    ind, _ = run
    # comp.imp == "Yes": 116 schools, of which only 3 without sch.wide == "Yes" (fewer than
    # min_cell = 10): hidden, and "No" with it (overall − "No" would give "Yes" back)
    groups = {c["group"]["comp_imp"]: c for c in ind["strat_schwide"]["by"]}
    assert groups["Yes"]["reason"]["code"] == "small_trait"
    assert groups["No"]["reason"]["code"] == "complement"
    assert groups["No"]["value"] is None and groups["No"].get("se") is None
    assert ind["strat_schwide"]["value"] == pytest.approx(0.827948011)


def test_report_names_the_design(run) -> None:
    _, html = run
    assert "Estimation pondérée sur plan de sondage (linéarisation de Taylor)" in html
    assert "strates : stype" in html and "unités primaires (grappes) : dnum" in html
    assert "unités primaires tirées avec remise" in html  # apiclus2: no fpc
    assert "Design-based" not in html
    assert "Estimation pondérée sur plan de sondage (poids pw) pour la population" in html
    assert "compte exact" not in html  # a weighted count is an estimate with its interval


def _copy(tmp_path: Path, edit) -> Path:
    for name in ("apistrat.csv", "apiclus1.csv", "apiclus2.csv"):
        shutil.copy(DATA / name, tmp_path / name)
    text = edit((DATA / "api.yaml").read_text("utf-8"))
    (tmp_path / "api.yaml").write_text(text, "utf-8")
    return tmp_path / "api.yaml"


def test_unknown_design_column_is_a_framework_error(tmp_path) -> None:
    path = _copy(tmp_path, lambda s: s.replace("psu: dnum, fpc", "psu: dnumm, fpc"))
    with pytest.raises(FrameworkError) as caught:
        run_framework(str(path), out_dir=tmp_path / "out")
    message = str(caught.value)
    assert "api.yaml:17:32: data.clus1.design.psu: unknown column 'dnumm'" in message
    assert "did you mean 'dnum'" in message


def test_kind_without_design_estimator_is_refused(tmp_path) -> None:
    path = _copy(
        tmp_path, lambda s: s.replace("sum: enroll, data: strat", "median: enroll, data: strat")
    )
    with pytest.raises(
        FrameworkError, match="a `median` indicator cannot be estimated on a sampling design"
    ):
        run_framework(str(path), out_dir=tmp_path / "out")


def test_lonely_psu_is_refused_with_the_way_out(tmp_path) -> None:
    rows = (DATA / "apistrat.csv").read_text("utf-8").splitlines()
    header, body = rows[0], rows[1:]
    kept = [r for r in body if ",M," not in r[:20]] + [next(r for r in body if ",M," in r[:20])]
    path = _copy(tmp_path, lambda s: s)
    (tmp_path / "apistrat.csv").write_text("\n".join([header, *kept]) + "\n", "utf-8")
    with pytest.raises(DataPolicyError) as caught:
        run_framework(str(path), out_dir=tmp_path / "out")
    message = str(caught.value)
    assert "api.yaml:13:" in message and "data.strat.design" in message
    assert "a stratum of 'stype' has a single PSU (row(s) 151)" in message
    assert "lonely_psu: certainty" in message


def test_bad_weight_exits_1_with_its_row(tmp_path) -> None:
    path = _copy(tmp_path, lambda s: s)
    lines = (tmp_path / "apiclus1.csv").read_text("utf-8").splitlines()
    cells = lines[5].split(",")
    cells[-1] = "0"  # pw is the last column of apiclus1
    lines[5] = ",".join(cells)
    (tmp_path / "apiclus1.csv").write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(DataPolicyError) as caught:  # the CLI exits with its exit_code
        run_framework(str(path), out_dir=tmp_path / "out")
    assert caught.value.exit_code == 1
    assert "api.yaml:17:" in str(caught.value) and "data.clus1.design" in str(caught.value)
    assert "weight column 'pw' is missing or not above 0 on row(s) 5" in str(caught.value)
