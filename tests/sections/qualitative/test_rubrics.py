"""Rubric and themes indicators: hand-worked distributions, agreement, privacy, evidence."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from evalsoc.errors import FrameworkError
from evalsoc.framework.model import IndicatorSpec
from evalsoc.privacy.linear import suppressed_cells
from evalsoc.sections.context import RunContext
from evalsoc.sections.qualitative.compute import compute_rubric_indicator, compute_themes_indicator
from evalsoc.sections.qualitative.config import RubricArgs, ThemesArgs
from evalsoc.sections.qualitative.rubric import summarise_rubric
from evalsoc.sections.qualitative.scale import cliffs_delta, quantile_level, verdict_mapping
from evalsoc.sections.qualitative.themes import summarise_themes
from evalsoc.stats import agreement

ROOT = Path(__file__).resolve().parents[3]
LEVELS = ["insuffisant", "fragile", "satisfaisant", "remarquable"]


def judgements() -> pd.DataFrame:
    """12 raters (3 roles) × 2 criteria, levels chosen by hand."""
    rows = []
    plan = {
        # role: (levels on 'isolement', levels on 'participation')
        "habitants": (
            ["remarquable", "satisfaisant", "satisfaisant", "remarquable", "fragile"],
            ["satisfaisant", "satisfaisant", "fragile", "satisfaisant", "fragile"],
        ),
        "salaries": (
            ["satisfaisant", "fragile", "fragile", "preuves_insuffisantes"],
            ["fragile", "insuffisant", "fragile", "fragile"],
        ),
        "partenaires": (
            ["fragile", "insuffisant", "satisfaisant"],
            ["insuffisant", "insuffisant", "fragile"],
        ),
    }
    for role, (iso, par) in plan.items():
        for i, (a, b) in enumerate(zip(iso, par)):
            rater = f"{role[:3]}{i}"
            rows.append(
                {
                    "rater": rater,
                    "role": role,
                    "criterion": "isolement",
                    "level": a,
                    "evidence": f"preuve {rater} iso",
                }
            )
            rows.append(
                {
                    "rater": rater,
                    "role": role,
                    "criterion": "participation",
                    "level": b,
                    "evidence": "",
                }
            )
    return pd.DataFrame(rows)


def run(frame: pd.DataFrame, min_cell: int = 1, **kwargs) -> tuple[dict, list[str]]:
    args = RubricArgs(**kwargs)
    return summarise_rubric(
        frame, args=args, min_cell=min_cell, rng=np.random.default_rng(0), agreement_frame=None
    )


def test_distribution_median_and_share() -> None:
    df = judgements()
    iso = df[df.criterion == "isolement"]
    res, _ = run(iso, people_served_roles=["habitants"])
    # isolement: 2 remarquable, 4 satisfaisant, 4 fragile, 1 insuffisant; 1 insufficient evidence.
    assert res["counts"] == {"insuffisant": 1, "fragile": 4, "satisfaisant": 4, "remarquable": 2}
    assert res["n_rated"] == 11 and res["n_insufficient"] == 1 and res["n_judgements"] == 12
    # Lower median of 11 ranked judgements: the 6th = satisfaisant (1 + 4 = 5 below it).
    assert res["median_level"] == "satisfaisant"
    assert res["lower_quartile_level"] == "fragile"
    assert res["share_at_or_above"] == pytest.approx(6 / 11)
    # Wilson 95% interval for 6/11, by its formula: (p + z²/2n ± z√(p(1−p)/n + z²/4n²))/(1 + z²/n).
    assert res["ci_low"] == pytest.approx(0.2800915, abs=1e-6)
    assert res["ci_high"] == pytest.approx(0.7872873, abs=1e-6)
    assert res["status"] == "no_target"
    assert res["people_served"]["n_judgements"] == 5
    assert res["people_served"]["share_of_judgements"] == pytest.approx(5 / 12)


def test_per_role_cells_and_disagreement() -> None:
    df = judgements()
    res, _ = run(df[df.criterion == "isolement"])
    hab, sal = res["by_role"]["habitants"], res["by_role"]["salaries"]
    assert hab["median_level"] == "satisfaisant" and sal["median_level"] == "fragile"
    # Cliff's delta habitants vs partenaires: ranks {3,2,2,3,1} vs {1,0,2}: of 15 pairs,
    # 11 have the habitant higher (3+3, 2+2, 1) and 1 lower, so (11 − 1)/15.
    pairs = {tuple(p["roles"]): p["cliffs_delta"] for p in res["disagreement"]}
    assert pairs[("habitants", "partenaires")] == pytest.approx(10 / 15)
    assert res["roles_disagree_most"] == ["habitants", "partenaires"]


def test_cliffs_delta_and_quantiles_by_hand() -> None:
    assert cliffs_delta(np.array([0, 0, 1]), np.array([1, 0, 0])) == 1.0
    assert cliffs_delta(np.array([1, 1]), np.array([1, 1])) == 0.0
    assert cliffs_delta(np.array([0, 0]), np.array([1, 1])) is None
    assert quantile_level(np.array([1, 1, 1, 1.0]), 0.5) == 1  # lower median of 4 levels
    assert quantile_level(np.array([0, 0, 0, 0.0]), 0.5) is None


def test_small_role_cells_are_suppressed_with_a_secondary_cell() -> None:
    # 5 habitants, 4 salariés, 3 partenaires; min_cell 4: partenaires (3) hidden, and since
    # 3 < 4 the smallest other group (salariés, 4) is hidden too, so subtraction reveals nothing.
    df = judgements()
    res, _ = run(df[df.criterion == "isolement"], min_cell=4)
    assert res["by_role"]["partenaires"]["suppressed"] is True
    assert res["by_role"]["salaries"]["suppressed"] is True
    assert res["by_role"]["habitants"]["suppressed"] is False
    assert res["by_role"]["partenaires"].get("counts") is None
    assert suppressed_cells({"a": 20, "b": 12, "c": 3}, 10) == {"b", "c"}
    assert suppressed_cells({"a": 20, "b": 12, "c": 3, "d": 8}, 10) == {"c", "d"}
    assert suppressed_cells({"a": 20, "b": 12}, 10) == set()


def test_whole_indicator_suppressed_below_min_cell() -> None:
    df = judgements()
    res, _ = run(df[df.criterion == "isolement"], min_cell=13)
    assert res["suppressed"] is True and res["status"] == "suppressed"
    assert res["median_level"] is None and res["counts"]["fragile"] is None
    assert all(cell["suppressed"] for cell in res["by_role"].values())
    assert res["agreement"]["alpha"] is None


def test_alpha_matches_krippendorff_on_the_raters_by_criteria_matrix() -> None:
    df = judgements()
    res, _ = run(df, bootstrap=200)
    # Units = criteria; insufficient evidence = missing. Ranks of the 12 raters on 2 criteria.
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    wide = df.pivot(index="rater", columns="criterion", values="level")
    matrix = wide.apply(lambda col: col.map(lambda v: rank.get(v, np.nan))).to_numpy(float)
    expected = krippendorff.alpha(
        reliability_data=matrix, level_of_measurement="ordinal", value_domain=[0, 1, 2, 3]
    )
    agr = res["agreement"]
    assert agr["scope"] == "rows" and agr["n_units"] == 2
    assert agr["alpha"] == pytest.approx(expected, abs=1e-12)
    assert agr["n_boot"] > 0 and agr["ci_low"] <= agr["ci_high"]


def test_alpha_falls_back_to_the_whole_table_for_a_single_criterion() -> None:
    df = judgements()
    args = RubricArgs()
    res, _ = summarise_rubric(
        df[df.criterion == "isolement"],
        args=args,
        min_cell=1,
        rng=np.random.default_rng(0),
        agreement_frame=df,
    )
    whole, _ = run(df, bootstrap=0)
    assert res["agreement"]["scope"] == "source"
    assert res["agreement"]["alpha"] == pytest.approx(whole["agreement"]["alpha"])
    only_rows, _ = run(df[df.criterion == "isolement"], agreement="rows")
    assert only_rows["agreement"]["estimable"] is False
    assert "two rated units" in only_rows["agreement"]["reason"]["en"]


def test_levels_are_read_loosely_and_unknown_levels_reported() -> None:
    df = pd.DataFrame(
        {
            "rater": list("abcdef"),
            "role": ["x"] * 6,
            "level": ["Satisfaisant", "Preuves insuffisantes", "REMARQUABLE", 2, "très bien", None],
        }
    )
    scale = [{"id": lvl, "aliases": [i + 1]} for i, lvl in enumerate(LEVELS)]
    res, warnings = run(df, scale=scale)
    assert res["counts"] == {"insuffisant": 0, "fragile": 1, "satisfaisant": 1, "remarquable": 1}
    assert res["n_insufficient"] == 1
    assert any("très bien" in w["fr"] and "très bien" in w["en"] for w in warnings)
    assert any("without a level" in w["en"] for w in warnings)


def test_custom_scale_maps_onto_verdicts() -> None:
    args = RubricArgs(scale=["faible", "moyen", "bon", "très bon", "excellent"], threshold="bon")
    assert verdict_mapping(args.scale) == [
        "insuffisant",
        "fragile",
        "satisfaisant",
        "satisfaisant",
        "remarquable",
    ]
    explicit = RubricArgs(
        scale=[{"id": "non", "verdict": "insuffisant"}, {"id": "oui", "verdict": "remarquable"}],
        threshold="oui",
    )
    assert verdict_mapping(explicit.scale) == ["insuffisant", "remarquable"]


def test_config_errors_are_sentences() -> None:
    with pytest.raises(ValidationError, match="not a level of the scale"):
        RubricArgs(threshold="excellent")
    with pytest.raises(ValidationError, match="never averaged in"):
        RubricArgs(scale=["a", "preuves insuffisantes"], threshold="a")
    with pytest.raises(ValidationError, match="same level twice"):
        RubricArgs(scale=["Bon", "bon"], threshold="bon")


def test_evidence_kept_without_rater_identity() -> None:
    df = judgements()
    res, _ = run(df[df.criterion == "isolement"], min_cell=4)
    quotes = res["evidence"]
    assert len(quotes) == 12
    assert all(set(q) == {"criterion", "level", "role", "text"} for q in quotes)
    assert quotes[0]["level"] == "remarquable"  # best level first
    # Roles of suppressed cells are not attached to quotes.
    assert {q["role"] for q in quotes} == {"habitants", None}


def context(frames: dict[str, pd.DataFrame], min_cell: int = 1, seed: int = 5) -> RunContext:
    return RunContext(frames=frames, framework=None, seed=seed, min_cell=min_cell)


def test_compute_rubric_indicator_args_win_and_are_reproducible() -> None:
    df = judgements()
    spec = IndicatorSpec.model_validate(
        {
            "id": "jug",
            "data": "other",
            "where": "criterion == 'participation'",
            "target": 0.5,
            "rubric": {"data": "jugements", "where": "criterion == 'isolement'"},
        }
    )
    ctx = context({"jugements": df, "other": df.iloc[:0]})
    res = compute_rubric_indicator(spec, ctx)
    assert res["data"] == "jugements" and res["rated_criteria"] == ["isolement"]
    assert res["status"] == "met" and res["value"] == pytest.approx(6 / 11)
    again = compute_rubric_indicator(spec, context({"jugements": df, "other": df}))
    assert res == again
    assert any("people_served_roles" in w["message"] for w in ctx.warnings)


def test_compute_rubric_indicator_names_a_missing_column() -> None:
    spec = IndicatorSpec.model_validate({"id": "jug", "rubric": {"data": "j", "level": "levle"}})
    with pytest.raises(FrameworkError, match="no column 'levle'.*did you mean 'level'"):
        compute_rubric_indicator(spec, context({"j": judgements()}))
    no_data = IndicatorSpec.model_validate({"id": "jug", "rubric": {}})
    with pytest.raises(FrameworkError, match="needs `data`"):
        compute_rubric_indicator(no_data, context({"j": judgements()}))


def coding() -> pd.DataFrame:
    rows = [
        ("s1", "habitants", "entraide"),
        ("s1", "habitants", "confiance"),
        ("s1", "habitants", "entraide"),
        ("s2", "habitants", "entraide"),
        ("s3", "habitants", "confiance"),
        ("s3", "habitants", "mixite"),
        ("s4", "salaries", "entraide"),
        ("s4", "salaries", "mixite"),
        ("s5", "partenaires", "mixite"),
    ]
    df = pd.DataFrame(rows, columns=["source", "role", "code"])
    df["criterion"] = "participation"
    df["excerpt"] = [f"extrait {i}" for i in range(len(df))]
    return df


def test_themes_frequency_and_cooccurrence_by_hand() -> None:
    res = summarise_themes(coding(), args=ThemesArgs(), min_cell=1)
    assert res["n_sources"] == 5 and res["n_segments"] == 9
    assert res["frequency"]["entraide"] == {
        "n_sources": 3,
        "share_of_sources": 0.6,
        "n_segments": 4,
    }
    co = res["cooccurrence"]
    assert co["codes"] == ["confiance", "entraide", "mixite"]
    # s1: confiance+entraide; s3: confiance+mixite; s4: entraide+mixite.
    assert co["n_sources"] == [[2, 1, 1], [1, 3, 1], [1, 1, 3]]
    assert res["by_role"]["habitants"]["codes"] == {"confiance": 2, "entraide": 2, "mixite": 1}
    assert res["by_criterion"]["participation"]["mixite"] == 3


def test_themes_privacy() -> None:
    res = summarise_themes(coding(), args=ThemesArgs(), min_cell=2)
    assert res["by_role"]["habitants"]["suppressed"] is False
    # partenaires (1 source) hidden; salariés (1) hidden too so that 1 + 1 reaches 2.
    assert res["by_role"]["partenaires"]["suppressed"] is True
    assert res["by_role"]["salaries"]["suppressed"] is True
    assert all(e["role"] in ("habitants", None) for e in res["excerpts"])
    tiny = summarise_themes(coding(), args=ThemesArgs(), min_cell=6)
    assert tiny["suppressed"] is True and tiny["frequency"] == {}


def test_compute_themes_indicator() -> None:
    spec = IndicatorSpec.model_validate(
        {"id": "th", "themes": {"data": "codage"}, "where": "role == 'habitants'"}
    )
    res = compute_themes_indicator(spec, context({"codage": coding()}))
    assert res["kind"] == "themes" and res["n_sources"] == 3


def load_generator():
    path = ROOT / "datasets" / "generate_judgements.py"
    spec = importlib.util.spec_from_file_location("generate_judgements", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_judgements_recover_the_true_levels() -> None:
    gen = load_generator()
    roles = {"habitants": 60, "salaries": 40, "partenaires": 30}
    quality = {"bas": -1.2, "moyen": 0.0, "bon": 1.0, "haut": 2.4}
    df = gen.generate_judgements(
        np.random.default_rng(1),
        list(quality),
        roles,
        quality=quality,
        role_bias=dict.fromkeys(roles, 0.0),
    )
    again = gen.generate_judgements(
        np.random.default_rng(1),
        list(quality),
        roles,
        quality=quality,
        role_bias=dict.fromkeys(roles, 0.0),
    )
    pd.testing.assert_frame_equal(df, again)
    assert list(df.columns) == ["rater", "role", "criterion", "level", "evidence"]
    assert len(df) == 130 * 4
    truth = {"bas": "insuffisant", "moyen": "fragile", "bon": "satisfaisant", "haut": "remarquable"}
    for criterion, level in truth.items():
        res, _ = run(df[df.criterion == criterion], min_cell=10)
        assert res["median_level"] == level
    # Every rater rated every criterion: alpha over the 4 criteria equals the package's.
    rank = {lvl: i for i, lvl in enumerate(LEVELS)}
    matrix = (
        df.pivot(index="rater", columns="criterion", values="level")
        .apply(lambda col: col.map(lambda v: rank.get(v, np.nan)))
        .to_numpy(float)
    )
    whole, _ = run(df, bootstrap=0)
    assert whole["agreement"]["alpha"] == pytest.approx(
        agreement.alpha(matrix, level="ordinal", value_domain=[0, 1, 2, 3])
    )


def small_codes() -> pd.DataFrame:
    """14 interviews (habitants s01–s07, bénévoles s08–s12, salariés s13–s14), six codes."""
    cited = {
        "entraide": [f"s{i:02d}" for i in range(1, 15)],
        "confiance": ["s01", "s02", "s03", "s04", "s08", "s09"],
        "mixite": ["s01", "s02", "s03"],
        "isolement": ["s01", "s02"],
        "projets": ["s01", "s02", "s10", "s11", "s12", "s13", "s14"],
        "reseau": ["s03", "s05", "s06", "s07", "s08", "s09", "s10", "s11"],
    }
    role = {
        f"s{i:02d}": "habitants" if i <= 7 else "benevoles" if i <= 12 else "salaries"
        for i in range(1, 15)
    }
    rows = [
        (source, role[source], code, "participation", f"extrait {code} {source}")
        for code, sources in cited.items()
        for source in sources
    ]
    return pd.DataFrame(rows, columns=["source", "role", "code", "criterion", "excerpt"])


def test_themes_counts_from_fewer_than_min_cell_sources_are_suppressed() -> None:
    res = summarise_themes(small_codes(), args=ThemesArgs(), min_cell=5)
    # mixite (3 sources) and isolement (2) are hidden; together they are only 3 sources
    # (s01–s03), so n_segments minus the shown codes would give their segments back: the
    # smallest shown code, confiance (6), is hidden too.
    assert res["suppressed_codes"] == ["confiance", "isolement", "mixite"]
    assert sorted(res["frequency"]) == ["entraide", "projets", "reseau"]
    assert res["frequency"]["projets"]["n_sources"] == 7
    co = res["cooccurrence"]
    assert co["codes"] == ["entraide", "projets", "reseau"]
    # projets × reseau: s10 and s11 only, fewer than 5 sources.
    assert co["n_sources"] == [[14, 7, 8], [7, 7, None], [8, None, 8]]
    assert set(res["by_criterion"]["participation"]) == {"entraide", "projets", "reseau"}
    assert res["by_criterion"]["participation"]["reseau"] == 8
    # Roles: salariés (2) hidden, then bénévoles (5); habitants (7) shown. In its row, projets
    # (s01, s02) and reseau (4) are from fewer than 5 sources; entraide's hidden cells hold 7.
    hab = res["by_role"]["habitants"]
    assert hab["n_sources"] == 7
    assert hab["codes"] == {"entraide": 7, "projets": None, "reseau": None}
    assert res["by_role"]["benevoles"]["suppressed"] and res["by_role"]["salaries"]["suppressed"]
    # No excerpt of a suppressed code, and a role only where its role × code cell is shown.
    excerpts = res["excerpts"]
    assert {e["code"] for e in excerpts} == {"entraide", "projets", "reseau"}
    assert {(e["code"], e["role"]) for e in excerpts if e["role"]} == {("entraide", "habitants")}
    assert not any(n is not None and 0 < n < 5 for n in _all_counts(res))


def _all_counts(res: dict) -> list:
    counts = [f["n_sources"] for f in res["frequency"].values()]
    counts += [n for row in res["cooccurrence"]["n_sources"] for n in row]
    counts += [n for cells in res["by_criterion"].values() for n in cells.values()]
    counts += [n for cell in res["by_role"].values() for n in (cell.get("codes") or {}).values()]
    return counts


def test_themes_role_column_gives_no_hidden_group_back() -> None:
    # min_cell 2: salariés (s4) and partenaires (s5) are hidden groups. entraide is cited by 3
    # sources, 2 of them habitants: publishing 2 would give back the 1 hidden salarié.
    res = summarise_themes(coding(), args=ThemesArgs(), min_cell=2)
    codes = res["by_role"]["habitants"]["codes"]
    assert codes["entraide"] is None
    assert codes["confiance"] == 2  # the hidden groups hold no confiance: nothing to give back
    assert codes["mixite"] is None  # 1 source


def test_whole_themes_suppressed_publish_no_excerpt() -> None:
    tiny = summarise_themes(coding(), args=ThemesArgs(), min_cell=6)
    assert tiny["suppressed"] is True and tiny["excerpts"] == []


def test_secondary_suppression_counts_people_in_two_cells_once() -> None:
    # Two hidden cells of 1 and 2 people under a published total are not given back as 3.
    assert suppressed_cells({"a": 1, "b": 2, "c": 20, "d": 30}, 5) == {"a", "b", "c"}
    # b and c count 2 + 3 = 5 but hold only 3 people together: d is hidden as well.
    members = {"a": set("pqrstuvwxyz"), "b": {"p", "q"}, "c": {"p", "q", "r"}, "d": set("stuvwx")}
    sizes = {k: len(v) for k, v in members.items()}
    assert suppressed_cells(sizes, 5) == {"b", "c"}
    assert suppressed_cells(sizes, 5, members=members) == {"b", "c", "d"}


def test_raters_without_a_role_are_a_hidden_cell() -> None:
    # 3 raters have no role: overall minus the shown roles would give their judgements back.
    df = judgements()
    iso = df[df.criterion == "isolement"].copy()
    iso.loc[iso.role == "partenaires", "role"] = None
    res, _ = run(iso, min_cell=4)
    assert res["by_role"]["salaries"]["suppressed"] is True  # 4 raters, hidden to protect them
    assert res["by_role"]["habitants"]["suppressed"] is False
    assert "partenaires" not in res["by_role"]


def test_people_served_withheld_when_few_or_revealing() -> None:
    df = judgements()
    iso = df[df.criterion == "isolement"]
    # partenaires (3 raters) are a suppressed group: their participation is not shown.
    res, _ = run(iso, min_cell=4, people_served_roles=["partenaires"])
    assert res["people_served"]["suppressed"] is True
    assert res["people_served"]["n_raters"] is None and res["people_served"]["n_judgements"] is None
    # habitants + partenaires minus the shown habitants would give the partenaires back.
    res, _ = run(iso, min_cell=4, people_served_roles=["habitants", "partenaires"])
    assert res["people_served"]["n_raters"] is None
    res, _ = run(iso, min_cell=4, people_served_roles=["habitants"])
    assert res["people_served"]["n_raters"] == 5 and not res["people_served"]["suppressed"]
    whole, _ = run(iso, min_cell=13, people_served_roles=["habitants"])
    assert whole["people_served"]["n_raters"] is None and whole["evidence"] == []
