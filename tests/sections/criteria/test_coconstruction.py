"""The co-construction record (sections/criteria/coconstruction.py) through `evalsoc run` on
tests/data/practice/coconstruction.yaml, whose four criteria are counted by hand in its header:
acces_emploi (people_served + staff, steering committee 2025-03-12), confiance (people_served,
same committee), cout (funders, validated by nobody), place_benevoles (no proposer; validated
through its dimension by the board on 2025-01-20)."""

from __future__ import annotations

import pytest
from tests.practice_run import cli, run_practice, variant


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return run_practice("coconstruction.yaml", tmp_path_factory.mktemp("co") / "fr")


def test_counts_by_role_and_people_served(run):
    record = run[0]["co_construction"]
    assert record["criteria_total"] == 4
    assert record["proposed_by_role"] == {"people_served": 2, "staff": 1, "funders": 1}
    assert record["from_people_served"] == ["acces_emploi", "confiance"]
    assert record["without_proposer"] == ["place_benevoles"]


def test_validations_by_body_and_the_dimension_validates_its_criteria(run):
    record = run[0]["co_construction"]
    assert [(v["date"], v["body"]["en"], v["criteria"]) for v in record["validations"]] == [
        ("2025-01-20", "Board", ["place_benevoles"]),
        ("2025-03-12", "Steering committee with people served", ["acces_emploi", "confiance"]),
    ]
    assert record["unvalidated"] == ["cout"]
    items = {(i["level"], i["id"]): i for i in record["items"]}
    assert items[("indicator", "taux_emploi")]["from_people_served"] is True
    assert items[("criterion", "acces_emploi")]["notes"]["en"] == "Reworded in a workshop"
    assert ("indicator", "taux_emploi") in items and len(items) == 2 + 4 + 1


def test_unvalidated_criterion_is_a_warning(run):
    warnings = [w for w in run[0]["warnings"] if w["section"] == "co_construction"]
    assert [w["id"] for w in warnings] == ["cout"]
    assert "Maîtrise des coûts" in warnings[0]["messages"]["fr"]


def test_report_method_section_and_annex_in_french_and_english(run, tmp_path):
    html = run[1]
    method = html[html.index('id="context"') : html.index('id="grid"')]
    assert "La grille compte 4 critères." in method
    assert "personnes accompagnées (2), salariés (1), financeurs (1)" in method
    assert (
        "Critères venant des personnes concernées elles-mêmes (personnes accompagnées, "
        "habitants) : « Accès à l&#39;emploi », « Confiance en soi »."
    ) in method
    assert "Validation — Conseil d&#39;administration, le 20 janvier 2025" in method
    assert "1 critère validé par aucune instance : « Maîtrise des coûts »" in method
    annex = html[html.index('id="annex"') :]
    assert "Critères non validés" in annex and "« Maîtrise des coûts »" in annex
    _, english = run_practice("coconstruction.yaml", tmp_path / "en", lang="en")
    assert "people served (2), staff (1), funders (1)" in english
    assert "Validation — Steering committee with people served, on 12 March 2025" in english
    assert "Criteria not validated" in english
    assert "personnes accompagnées" not in english


def test_a_framework_without_record_has_an_empty_section(tmp_path):
    results, html = run_practice("references.yaml", tmp_path / "out")
    assert results["co_construction"] == {}
    assert 'id="co-construction"' not in html


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("proposed_by: [funders]", "proposed_by: [financeurs]", "unknown role 'financeurs'"),
        ("validated: {date: 2025-01-20, ", "validated: {", "date"),
        ("roles: [steering_committee, people_served]", "roles: [comite]", "unknown role"),
    ],
)
def test_bad_record_is_a_framework_error_with_its_line(tmp_path, old, new, message):
    path = variant(tmp_path, "coconstruction.yaml", old, new)
    done = cli("validate", str(path), "--lang", "en")
    assert done.returncode == 2, done.stderr
    assert "coconstruction.yaml:" in done.stderr and message in done.stderr
    assert "Traceback" not in done.stderr
