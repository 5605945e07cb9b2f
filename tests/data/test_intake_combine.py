"""Sources built from others: join (unmatched rows counted on each side and listed), stack,
wide_to_long; the reconciliation holds for each and reaches results.json and the report."""

from __future__ import annotations

import json

import pytest
from tests.intake_helpers import cli, framework, indicator, reconciles, run

BASELINE = "id;age;revenu\np1;25;900\np2;31;1100\np3;45;1300\np4;52;800\np5;38;1000\n"
FOLLOWUP = "id;emploi\np1;oui\np2;non\np3;oui\np6;oui\n"
BODY = """
data:
  entree:
    file: entree.csv
    key: id
    columns: {id: {type: string}, age: {type: integer}, revenu: {type: number}}
  sortie:
    file: sortie.csv
    key: id
    columns: {id: {type: string}, emploi: {type: boolean}}
  suivi:
    join: {left: entree, right: sortie, on: id}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {id: emploi, proportion: emploi, data: suivi}
          - {id: revenu_suivis, mean: revenu, data: suivi}
"""


def _files(folder):
    (folder / "entree.csv").write_text(BASELINE, encoding="utf-8")
    (folder / "sortie.csv").write_text(FOLLOWUP, encoding="utf-8")


def test_one_to_one_join_counts_unmatched_on_each_side(tmp_path):
    _files(tmp_path)
    path = framework(tmp_path, BODY)
    proc = cli("run", str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    suivi = results["data"]["suivi"]
    # p4, p5 have no follow-up; p6 has no baseline: counted, listed, none silently dropped.
    assert (suivi["rows_read"], suivi["rows_used"], suivi["rows_unmatched"]) == (5, 3, 2)
    assert suivi["join"]["right_unmatched"] == 1
    assert reconciles(suivi)
    assert results["indicators"]["emploi"]["value"] == pytest.approx(2 / 3)
    assert results["indicators"]["revenu_suivis"]["value"] == pytest.approx(1100.0)
    listed = (tmp_path / "out" / "invalid" / "suivi.csv").read_text(encoding="utf-8")
    assert "p4" in listed and "p5" in listed and "p6" in listed
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Lignes sans correspondance (jointure)" in report


def test_one_to_one_repeated_key_is_quarantined_many_to_one_is_counted(tmp_path):
    _files(tmp_path)
    # p1 appears twice among the activities: one_to_one refuses both copies.
    (tmp_path / "ateliers.csv").write_text(
        "participant;atelier\np1;cuisine\np1;sport\np2;sport\np9;sport\n", encoding="utf-8"
    )
    body = BODY.replace(
        "  suivi:\n    join: {left: entree, right: sortie, on: id}",
        """  ateliers:
    file: ateliers.csv
    columns: {participant: {type: string}, atelier: {type: category, values: [cuisine, sport]}}
  suivi:
    join: {left: ateliers, right: entree, on: {participant: id}, how: HOW}""",
    ).replace("mean: revenu, data: suivi", "mean: age, data: suivi")
    body = body.replace("proportion: emploi, data: suivi", "count: true, data: suivi")
    strict = "policy: {max_invalid_share: 0.6}\n" + body.replace("HOW", "one_to_one")
    one = run(tmp_path, strict)["data"]["suivi"]
    assert one["failures"] == {
        "join: key repeated in ateliers (one_to_one)": 2,
        "join: no row of entree with this key": 1,
    }
    assert (one["rows_used"], one["rows_quarantined"], one["rows_unmatched"]) == (1, 2, 1)
    assert reconciles(one)
    many = run(tmp_path, body.replace("HOW", "many_to_one"))
    suivi = many["data"]["suivi"]
    assert (suivi["rows_used"], suivi["rows_quarantined"], suivi["rows_unmatched"]) == (3, 0, 1)
    assert suivi["join"]["many_side_repeated_rows"] == 2
    assert suivi["join"]["right_unmatched"] == 3  # p3, p4, p5 took no workshop
    assert indicator(many, "revenu_suivis")["value"] == pytest.approx((25 + 25 + 31) / 3)


def test_stack_sites_and_wide_to_long_waves(tmp_path):
    (tmp_path / "nord.csv").write_text("id;score\nn1;3\nn2;4\n", encoding="utf-8")
    (tmp_path / "sud.csv").write_text("id;score\ns1;5\ns2;2\ns3;1\n", encoding="utf-8")
    (tmp_path / "vagues.csv").write_text(
        "id;baseline_estime;followup_estime\na;2;4\nb;3;3\nc;1;4\n", encoding="utf-8"
    )
    body = """
    data:
      nord: &site
        file: nord.csv
        columns: {id: {type: string}, score: {type: integer}}
      sud:
        <<: *site
        file: sud.csv
      sites:
        stack: {sources: [nord, sud], column: site}
      vagues:
        file: vagues.csv
        columns:
          id: {type: string}
          baseline_estime: {type: integer}
          followup_estime: {type: integer}
      long:
        wide_to_long: {source: vagues, waves: [baseline, followup]}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators:
              - {id: score, mean: score, data: sites, by: site}
              - {id: estime, mean: estime, data: long, by: wave}
    """
    results = run(tmp_path, body)
    sites = results["data"]["sites"]
    assert (sites["rows_read"], sites["rows_used"]) == (5, 5) and sites["stack"] == {
        "nord": 2,
        "sud": 3,
    }
    by_site = {c["group"]["site"]: c["value"] for c in indicator(results, "score")["by"]}
    assert by_site == pytest.approx({"nord": 3.5, "sud": 8 / 3})
    long = results["data"]["long"]
    assert (long["rows_read"], long["rows_used"]) == (6, 6) and reconciles(long)
    by_wave = {c["group"]["wave"]: c["value"] for c in indicator(results, "estime")["by"]}
    assert by_wave == pytest.approx({"baseline": 2.0, "followup": 11 / 3})


def test_derived_source_errors_exit_2(tmp_path):
    _files(tmp_path)
    body = BODY.replace(
        "join: {left: entree, right: sortie, on: id}", "stack: {sources: [entree, sortie]}"
    )
    proc = cli("run", str(framework(tmp_path, body)), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    # The framework is French (language: fr): so is the message, after its code.
    assert "[stack_columns_differ]" in proc.stderr
    assert "'sortie' n'a pas les colonnes de 'entree'" in proc.stderr
    body = BODY.replace("right: sortie", "right: absent")
    proc = cli(
        "run", str(framework(tmp_path, body)), "--out", str(tmp_path / "out"), "--lang", "en"
    )
    assert proc.returncode == 2 and "not declared" in proc.stderr


def test_key_repeated_on_the_right_is_ambiguous(tmp_path):
    _files(tmp_path)
    (tmp_path / "sortie.csv").write_text(
        "id;emploi\np1;oui\np1;non\np2;non\np3;oui\n", encoding="utf-8"
    )
    body = "policy: {max_invalid_share: 0.5}\n" + BODY.replace(
        "    key: id\n    columns: {id: {type: string}, emploi",
        "    columns: {id: {type: string}, emploi",
    )
    results = run(tmp_path, body)
    suivi = results["data"]["suivi"]
    # p1 meets two follow-ups: evalsoc cannot know which is right, so p1 is quarantined.
    assert (suivi["rows_used"], suivi["rows_quarantined"], suivi["rows_unmatched"]) == (2, 1, 2)
    assert suivi["failures"]["join: several rows of sortie with this key"] == 1
    assert indicator(results, "emploi")["value"] == pytest.approx(1 / 2)
