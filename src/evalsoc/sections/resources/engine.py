"""The figures of a hybrid budget, from plain line records (no framework, no data frame).

Conventions (docs/resources.md):
- the shares of the three poles are given twice: over all resources including reciprocity
  valued in money (`share`), and over monetary resources only (`share_monetary`: market and
  redistribution, reciprocity left out — the reading of a funder's financial report);
- reciprocity listed without a value counts in neither total; its lines are named;
- the dependence on a funder is its amount over all resources (with valued reciprocity), and
  over monetary resources; a co-funded line is split by its declared shares;
- the gap of a line is actual − forecast, and relative to the forecast;
- change across years compares consecutive years of actual amounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

POLES = ("market", "redistribution", "reciprocity")
BASES = ("forecast", "actual")


@dataclass
class Line:
    id: str
    label: dict[str, str]
    nature: str
    kind: str
    funders: dict[str, float]  # funder id → share of the line (they add up to 1)
    valued: bool = True
    source: str | None = None
    # year → basis → amount (None when not declared)
    amounts: dict[int, dict[str, float | None]] = field(default_factory=dict)


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole > 0 else None


def totals(
    lines: list[Line], year: int, basis: str, funder_labels: dict[str, Any]
) -> dict[str, Any]:
    """Poles, totals and funders of one year on one basis (forecast or actual)."""
    poles = dict.fromkeys(POLES, 0.0)
    by_funder: dict[str, float] = {}
    missing: list[str] = []
    unvalued: list[str] = []
    for line in lines:
        if not line.valued:
            unvalued.append(line.id)
            continue
        amount = line.amounts.get(year, {}).get(basis)
        if amount is None:
            # A line with an amount somewhere (another year or basis) has a hole here: said,
            # so that a total or a change across years is not read as complete.
            if any(a is not None for amounts in line.amounts.values() for a in amounts.values()):
                missing.append(line.id)
            continue
        poles[line.nature] += amount
        for funder, share in line.funders.items():
            by_funder[funder] = by_funder.get(funder, 0.0) + amount * share
    total = sum(poles.values())
    monetary = poles["market"] + poles["redistribution"]
    ranked = sorted(by_funder.items(), key=lambda kv: (-kv[1], kv[0]))
    funders: list[dict[str, Any]] = [
        {
            "id": fid,
            "label": funder_labels.get(fid),
            "amount": amount,
            "share": _ratio(amount, total),
            "share_monetary": _ratio(amount, monetary),
        }
        for fid, amount in ranked
    ]
    return {
        "year": year,
        "basis": basis,
        "total": total,
        "total_monetary": monetary,
        "poles": {
            pole: {
                "amount": poles[pole],
                "share": _ratio(poles[pole], total),
                "share_monetary": None if pole == "reciprocity" else _ratio(poles[pole], monetary),
            }
            for pole in POLES
        },
        "funders": funders,
        "largest_funder": funders[0] if ranked and ranked[0][1] > 0 else None,
        "lines_without_amount": missing,
        "unvalued_lines": unvalued,
    }


def gaps(line: Line, years: list[int]) -> list[dict[str, Any]]:
    """Forecast, actual and the gap of one line, year by year."""
    out = []
    for year in years:
        amounts = line.amounts.get(year)
        if amounts is None:
            continue
        forecast, actual = amounts.get("forecast"), amounts.get("actual")
        gap = actual - forecast if forecast is not None and actual is not None else None
        out.append(
            {
                "year": year,
                "forecast": forecast,
                "actual": actual,
                "gap": gap,
                "gap_relative": _ratio(gap, forecast) if gap is not None and forecast else None,
            }
        )
    return out


def changes(by_year: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Change of the actual total and of each pole between consecutive years."""
    actual = [t for t in by_year if t["basis"] == "actual" and t["total"] > 0]
    out = []
    for before, after in zip(actual, actual[1:]):
        rows = [("total", before["total"], after["total"], None, None)]
        rows += [
            (
                pole,
                before["poles"][pole]["amount"],
                after["poles"][pole]["amount"],
                before["poles"][pole]["share"],
                after["poles"][pole]["share"],
            )
            for pole in POLES
        ]
        for what, a, b, share_a, share_b in rows:
            out.append(
                {
                    "year_from": before["year"],
                    "year_to": after["year"],
                    "item": what,
                    "amount_from": a,
                    "amount_to": b,
                    "change": b - a,
                    "change_relative": _ratio(b - a, a),
                    "share_change": share_b - share_a
                    if share_a is not None and share_b is not None
                    else None,
                }
            )
    return out


def figures(lines: list[Line], funder_labels: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the section: lines with their gaps, totals by year and basis, changes."""
    years = sorted({year for line in lines for year in line.amounts})
    by_year = [
        totals(lines, year, basis, funder_labels)
        for year in years
        for basis in BASES
        if any(line.amounts.get(year, {}).get(basis) is not None for line in lines)
    ]
    return {
        "years": years,
        "lines": [
            {
                "id": line.id,
                "label": line.label,
                "nature": line.nature,
                "kind": line.kind,
                "funders": line.funders,
                "valued": line.valued,
                "source": line.source,
                "amounts": gaps(line, years),
            }
            for line in lines
        ],
        "by_year": by_year,
        "changes": changes(by_year),
    }
