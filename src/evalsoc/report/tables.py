"""The report's figures as tidy tables (one row per observation, headers in the report's
language, raw numbers with a number format), shared by the spreadsheet and the Word writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evalsoc.framework.base import label_text
from evalsoc.report.i18n import t
from evalsoc.report.phrases import method_text
from evalsoc.report.words import value_label

PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
PERCENT_KINDS = {"proportion", "share", "rubric"}


@dataclass
class Table:
    code: str  # catalogue code of the sheet name (sheet_indicators...)
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # column index → number format


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fr") or value.get("en") or ""
    return "" if value is None else str(value)


def indicators(framework: Any, data: dict[str, Any], lang: str) -> Table:
    from evalsoc.framework.references import indicator_source

    heads = ["id", "dimension", "criterion", "indicator", "group", "value", "ci_low", "ci_high"]
    heads += ["n", "baseline", "target", "status"]
    table = Table("sheet_indicators", [t(lang, h) for h in heads])
    results = data.get("indicators") or {}
    for dim, crit, ind in framework.all_indicators():
        res = results.get(ind.id) or {}
        kind = res.get("kind", ind.kind)
        fmt = PERCENT if kind in PERCENT_KINDS else DECIMAL
        source = None if ind.kind in ("rubric", "themes") else indicator_source(framework, ind)
        base = [
            ind.id,
            label_text(dim.label, lang, dim.id),
            label_text(crit.label, lang, crit.id),
            label_text(ind.label, lang, ind.id),
        ]
        status = res.get("status")
        table.rows.append(
            base
            + [""]
            + [res.get(k) for k in ("value", "ci_low", "ci_high", "n", "baseline", "target")]
            + [t(lang, status) if status in _STATUSES else ""]
        )
        table.formats.update({5: fmt, 6: fmt, 7: fmt, 8: INTEGER, 9: fmt, 10: fmt})
        for cell in res.get("by") or []:
            group = ", ".join(
                value_label(framework, col, v, lang, source) for col, v in cell["group"].items()
            )
            cstatus = cell.get("status")
            table.rows.append(
                base
                + [group]
                + [cell.get(k) for k in ("value", "ci_low", "ci_high", "n")]
                + [res.get("baseline"), res.get("target")]
                + [t(lang, cstatus) if cstatus in _STATUSES else ""]
            )
    return table


_STATUSES = {"met", "not_met", "no_target", "suppressed", "not_estimable", "not_computed"}


def criteria(framework: Any, data: dict[str, Any], lang: str) -> Table:
    from evalsoc.report.synthesis import criterion_rows

    table = Table(
        "sheet_criteria",
        [t(lang, h) for h in ("id", "dimension", "criterion", "verdict", "in_one_sentence")]
        + [t(lang, "strongest_evidence")],
    )
    for r in criterion_rows(framework, data, lang):
        table.rows.append(
            [r["id"], r["dimension"], r["label"], r["verdict"], r["sentence"], r["evidence"]]
        )
    return table


def effects(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    results = data.get("effects") or {}
    if not framework.effects or not isinstance(results, dict):
        return None
    heads = ["id", "indicator", "design", "estimate", "ci_low", "ci_high", "p_value", "n"]
    table = Table("sheet_effects", [t(lang, h) for h in heads], formats={3: "0.000", 4: "0.000"})
    table.formats.update({5: "0.000", 6: "0.0000", 7: INTEGER})
    for spec in framework.effects:
        res = results.get(spec.id) or {}
        table.rows.append(
            [
                spec.id,
                label_text(spec.label, lang, spec.id),
                method_text(res.get("method"), lang),
            ]
            + [res.get(k) for k in ("estimate", "ci_low", "ci_high", "p_value", "n")]
        )
    return table


def capabilities(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    results = data.get("capabilities") or {}
    if not framework.capabilities or not isinstance(results, dict):
        return None
    table = Table(
        "sheet_capabilities",
        [t(lang, "id"), t(lang, "indicator"), "k", t(lang, "n"), "H", "A", "M0"],
        formats={3: INTEGER, 4: PERCENT, 5: PERCENT, 6: "0.000"},
    )
    for spec in framework.capabilities:
        res = results.get(spec.id) or {}
        for row in res.get("results") or []:
            table.rows.append(
                [spec.id, label_text(spec.label, lang, spec.id), row.get("k_text") or row.get("k")]
                + [row.get(k) for k in ("n", "H", "A", "M0")]
            )
    return table


def volunteering(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    res = data.get("volunteering") or {}
    if not res.get("by_category"):
        return None
    table = Table(
        "sheet_volunteering",
        [t(lang, h) for h in ("id", "category", "persons", "hours", "amount")],
        formats={2: INTEGER, 3: DECIMAL, 4: DECIMAL},
    )
    for row in res["by_category"]:
        table.rows.append(
            [
                row.get("category"),
                _text(row.get("label"), lang) or row.get("category"),
                row.get("persons"),
                row.get("hours"),
                row.get("value"),
            ]
        )
    return table


def sroi(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    res = data.get("sroi") or {}
    if not res.get("by_outcome"):
        return None
    table = Table(
        "sheet_sroi",
        [t(lang, h) for h in ("id", "outcome", "present_value")],
        formats={2: DECIMAL},
    )
    for oid, row in res["by_outcome"].items():
        table.rows.append([oid, _text(row.get("label"), lang) or oid, row.get("discounted_value")])
    return table


ECONOMY_HEADS = {
    "fr": {
        "resources": ["Année", "Type", "Ligne", "Nature", "Prévisionnel", "Réalisé", "Écart"],
        "costs": ["Ratio", "Rapporté à", "Montant", "Borne basse", "Borne haute", "Motif"],
    },
    "en": {
        "resources": ["Year", "Kind", "Line", "Nature", "Forecast", "Actual", "Gap"],
        "costs": ["Ratio", "Per", "Amount", "Lower bound", "Upper bound", "Reason"],
    },
}


def resources(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    """Budget lines, one row per line and year (forecast, actual, gap)."""
    from evalsoc.sections.resources.compute import KIND_TEXT, NATURE_TEXT

    res = data.get("resources") or {}
    if not res.get("lines"):
        return None
    heads = ECONOMY_HEADS.get(lang, ECONOMY_HEADS["en"])["resources"]
    table = Table("sheet_resources", heads, formats={4: DECIMAL, 5: DECIMAL, 6: DECIMAL})
    for line in res["lines"]:
        for amounts in line["amounts"]:
            table.rows.append(
                [
                    amounts["year"],
                    KIND_TEXT[line["kind"]][lang],
                    _text(line["label"], lang),
                    NATURE_TEXT[line["nature"]][lang],
                    amounts["forecast"],
                    amounts["actual"],
                    amounts["gap"],
                ]
            )
    return table


def costs(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    """Cost ratios with their interval (effect inverted), or why they are not estimable."""
    from evalsoc.sections.costs.render import PER

    res = data.get("costs") or {}
    if not res.get("ratios"):
        return None
    heads = ECONOMY_HEADS.get(lang, ECONOMY_HEADS["en"])["costs"]
    table = Table("sheet_costs", heads, formats={2: DECIMAL, 3: DECIMAL, 4: DECIMAL})
    for ratio in res["ratios"].values():
        table.rows.append(
            [
                _text(ratio["label"], lang),
                PER[ratio["per"]][lang],
                ratio.get("value"),
                ratio.get("ci_low"),
                ratio.get("ci_high"),
                _text(ratio.get("reason"), lang),
            ]
        )
    return table


def data_sources(framework: Any, data: dict[str, Any], lang: str) -> Table:
    heads = ["source", "file", "rows_read", "rows_used", "rows_quarantined", "fingerprint"]
    table = Table("sheet_data", [t(lang, h) for h in heads], formats={2: INTEGER, 3: INTEGER})
    table.formats[4] = INTEGER
    inputs = data["provenance"]["inputs"]
    for name, src in data["data"].items():
        spec = framework.data.get(name)
        table.rows.append(
            [
                label_text(getattr(spec, "label", None), lang, name),
                src["file"],
                src["rows_read"],
                src["rows_used"],
                src["rows_quarantined"],
                (inputs.get(name) or {}).get("sha256"),
            ]
        )
    return table


def provenance(framework: Any, data: dict[str, Any], lang: str) -> Table:
    table = Table("sheet_provenance", [t(lang, "software"), t(lang, "version")])
    for name, version in data["provenance"]["versions"].items():
        table.rows.append([name, version])
    table.rows.append([t(lang, "seed"), str(data["provenance"]["seed"])])
    table.rows.append([t(lang, "edition"), _edition(data, lang)])
    return table


def _edition(data: dict[str, Any], lang: str) -> str:
    funder = data["framework"].get("edition") == "funder"
    return t(lang, "edition_funder_short" if funder else "edition_public")


def valuation(framework: Any, data: dict[str, Any], lang: str) -> Table | None:
    from evalsoc.report.tables_valuation import valuation_table

    return valuation_table(framework, data, lang, Table, (INTEGER, PERCENT))  # type: ignore[no-any-return]


BUILDERS = [
    criteria,
    indicators,
    effects,
    capabilities,
    volunteering,
    sroi,
    resources,
    costs,
    valuation,
    data_sources,
    provenance,
]


def all_tables(results: Any) -> list[Table]:
    """Every tidy table of the report, in the report's order (sections without data left out)."""
    out = []
    for build in BUILDERS:
        table = build(results.framework, results.data, results.lang)
        if table is not None:
            out.append(table)
    return out
