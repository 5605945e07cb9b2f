"""Breakdowns printed as a matrix (report.pdf, report.docx): one row per indicator, one column per
group, each group's value with its n, a suppressed group shown as suppressed."""

from __future__ import annotations

from evalsoc.report import breakdown_matrix
from evalsoc.report.breakdown_matrix import breakdown_matrices


def _row(label: str, by_label: str, cells: list[tuple[str, str, str, str]]) -> dict:
    return {
        "label": label,
        "by_label": by_label,
        "by": [
            {"group": g, "value": v, "n": n, "status": s, "status_key": s} for g, v, n, s in cells
        ],
    }


def test_one_row_per_indicator_and_one_column_per_group():
    rows = [
        _row("Emploi", "Site", [("Nord", "55,1 %", "138", "met"), ("Sud", "39,8 %", "113", "met")]),
        # Sud has no one here; Est only here: the columns are the union, in order of appearance.
        _row("Heures", "Site", [("Nord", "24,10", "80", "met"), ("Est", "—", "4", "suppressed")]),
        _row("Sans détail", "", []),
        _row("Par sexe", "Sexe", [("Femmes", "12,0 %", "50", "met")]),
    ]
    site, sexe = breakdown_matrices(rows, "fr")
    assert site.title == "Détail par Site" and site.groups == ["Nord", "Sud", "Est"]
    assert [label for label, _ in site.rows] == ["Emploi", "Heures"]
    emploi, heures = (cells for _, cells in site.rows)
    assert [c.text for c in emploi] == ["55,1 % (n = 138)", "39,8 % (n = 113)", "—"]
    # A group without a value shows its status, as the row per group did.
    assert [c.text for c in heures] == ["24,10 (n = 80)", "—", "suppressed (n = 4)"]
    assert sexe.title == "Détail par Sexe" and [c.text for c in sexe.rows[0][1]] == [
        "12,0 % (n = 50)"
    ]


def test_suppressed_cells_show_the_status_and_no_count():
    rows = [
        _row(
            "Emploi",
            "Site",
            [("Nord", "55,1 %", "138", "met"), ("Sud", "—", "—", "masqué (effectif trop faible)")],
        )
    ]
    (matrix,) = breakdown_matrices(rows, "en")
    assert [c.text for c in matrix.rows[0][1]] == [
        "55,1 % (n = 138)",
        "masqué (effectif trop faible)",
    ]
    assert matrix.title == "Breakdown by Site"


def test_many_groups_make_several_matrices_of_the_same_rows():
    groups = [(f"S{i}", f"{i},0", "20", "met") for i in range(breakdown_matrix.MAX_GROUPS + 2)]
    matrices = breakdown_matrices([_row("A", "Site", groups), _row("B", "Site", groups)], "fr")
    assert [len(m.groups) for m in matrices] == [breakdown_matrix.MAX_GROUPS, 2]
    assert all([label for label, _ in m.rows] == ["A", "B"] for m in matrices)
    assert matrices[1].rows[0][1][1].text == f"{breakdown_matrix.MAX_GROUPS + 1},0 (n = 20)"
