"""SPSS and Stata files written by pyreadstat, read through `evalsoc run`: value labels used
as category values, user-missing codes kept as missing and counted by reason."""

from __future__ import annotations

import pytest
from tests.intake_helpers import cli, framework, indicator, reconciles, run

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")

# 12 people: sexe 1 = Homme (7), 2 = Femme (5); satisfaction 1..4, 9 = « Ne sait pas » (2).
SEXE = [1, 2, 1, 2, 1, 1, 2, 2, 1, 2, 1, 1]
SATISFACTION = [1, 2, 3, 4, 9, 2, 3, 4, 9, 1, 2, 3]


def _frame():
    return pd.DataFrame(
        {
            "id": [f"p{i:02d}" for i in range(1, 13)],
            "sexe": [float(v) for v in SEXE],  # SPSS stores numbers as doubles: codes read 1.0
            "satisf": [float(v) for v in SATISFACTION],
        }
    )


BODY = """
data:
  enquete:
    file: {file}
    key: id
    columns:
      id: {{type: string}}
      sexe: {{type: category, values: [Homme, Femme]}}
      satisf: {{type: integer, min: 1, max: 4}}
dimensions:
  - id: d
    criteria:
      - id: c
        indicators:
          - {{id: satisfaction, mean: satisf}}
          - {{id: femmes, share: sexe, values: [Femme]}}
"""


def test_sav_labels_and_user_missing(tmp_path):
    pyreadstat.write_sav(
        _frame(),
        str(tmp_path / "enquete.sav"),
        variable_value_labels={
            "sexe": {1: "Homme", 2: "Femme"},
            "satisf": {1: "Pas du tout", 4: "Tout à fait", 9: "Ne sait pas"},
        },
        missing_ranges={"satisf": [9]},
    )
    results = run(tmp_path, BODY.format(file="enquete.sav"))
    source = results["data"]["enquete"]
    assert source["format"] == "spss"
    # 9 is missing (never the number 9) and its reason is counted; no row is quarantined.
    assert source["missing_codes"] == {"satisf": {"9 (Ne sait pas)": 2}}
    assert (source["rows_read"], source["rows_used"], source["rows_quarantined"]) == (12, 12, 0)
    assert reconciles(source)
    # Hand-worked: (1+2+3+4+2+3+4+1+2+3) / 10 = 2.5
    mean = indicator(results, "satisfaction")
    assert mean["value"] == pytest.approx(2.5) and mean["n"] == 10
    share = indicator(results, "femmes")
    assert share["value"] == pytest.approx(5 / 12) and share["count"] == 5
    assert {c["value"]: c["count"] for c in share["categories"]} == {"Femme": 5, "Homme": 7}
    assert source["value_labels"]["satisf"]["9"] == "Ne sait pas"


def test_zsav_and_cli_run(tmp_path):
    pyreadstat.write_sav(
        _frame(),
        str(tmp_path / "enquete.zsav"),
        compress=True,
        variable_value_labels={"sexe": {1: "Homme", 2: "Femme"}},
        missing_ranges={"satisf": [9]},
    )
    path = framework(tmp_path, BODY.format(file="enquete.zsav"))
    proc = cli("run", str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    import json

    results = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert results["indicators"]["satisfaction"]["value"] == pytest.approx(2.5)
    assert results["data"]["enquete"]["missing_codes"] == {"satisf": {"9": 2}}


def test_dta_with_declared_missing_code_and_integer_values(tmp_path):
    frame = _frame()
    frame["sexe"] = frame["sexe"].astype(int)
    frame["satisf"] = frame["satisf"].astype(int)
    pyreadstat.write_dta(
        frame, str(tmp_path / "enquete.dta"), variable_value_labels={"sexe": {1: "H", 2: "F"}}
    )
    body = """
    data:
      enquete:
        file: enquete.dta
        columns:
          id: {type: string}
          sexe: {type: category, values: [1, 2]}
          satisf: {type: integer, min: 1, max: 4, missing_values: [9]}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators:
              - {id: satisfaction, mean: satisf}
              - {id: femmes, share: sexe, values: [2]}
    """
    results = run(tmp_path, body)
    source = results["data"]["enquete"]
    assert source["format"] == "stata"
    assert source["missing_codes"] == {"satisf": {"9": 2}}
    assert source["value_labels"]["sexe"] == {"1": "H", "2": "F"}
    assert indicator(results, "satisfaction")["value"] == pytest.approx(2.5)
    assert indicator(results, "femmes")["count"] == 5


def test_sav_undeclared_code_is_quarantined_not_averaged(tmp_path):
    """Without the file's user-missing declaration, 9 is an out-of-range answer."""
    pyreadstat.write_sav(_frame(), str(tmp_path / "enquete.sav"))
    results = run(
        tmp_path,
        BODY.format(file="enquete.sav").replace("[Homme, Femme]", "[1, 2]")
        + "policy: {max_invalid_share: 0.5}\n",
    )
    source = results["data"]["enquete"]
    assert source["rows_quarantined"] == 2
    assert source["failures"] == {"satisf: max 4": 2}
    assert indicator(results, "satisfaction")["value"] == pytest.approx(2.5)


def test_dta_tagged_missing_value(tmp_path):
    """Stata's `.a` (written by pyreadstat as the tagged missing value 'a') is missing."""
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "q": [1.0, "a", 3.0, 4.0]})
    pyreadstat.write_dta(
        frame,
        str(tmp_path / "t.dta"),
        missing_user_values={"q": ["a"]},
        variable_value_labels={"q": {"a": "Ne sait pas", 1: "Jamais"}},
    )
    body = """
    data:
      t:
        file: t.dta
        columns: {id: {type: string}, q: {type: integer, min: 1, max: 4}}
    dimensions:
      - id: d
        criteria:
          - id: c
            indicators: [{id: q, mean: q}]
    """
    results = run(tmp_path, body)
    assert results["data"]["t"]["missing_codes"] == {"q": {"a (Ne sait pas)": 1}}
    assert results["data"]["t"]["rows_quarantined"] == 0
    assert indicator(results, "q")["value"] == pytest.approx((1 + 3 + 4) / 3)
