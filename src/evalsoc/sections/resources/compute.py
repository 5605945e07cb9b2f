"""Resources: the adapter from `resources:` (inline lines or an accounting export) and the
volunteering section's value to the engine's figures, under `results["resources"]`."""

from __future__ import annotations

import math
from typing import Any

from evalsoc.errors import ConfigValueError, FrameworkError, either
from evalsoc.framework.base import label_pair
from evalsoc.sections.resources.config import check_line
from evalsoc.sections.resources.engine import Line, figures

NATURE_TEXT = {
    "market": {"fr": "Marchand", "en": "Market"},
    "redistribution": {"fr": "Redistribution", "en": "Redistribution"},
    "reciprocity": {"fr": "Réciprocité", "en": "Reciprocity"},
}

KIND_TEXT = {
    "sales": {"fr": "Ventes", "en": "Sales"},
    "fees": {"fr": "Prestations, participations", "en": "Fees"},
    "subsidy": {"fr": "Subvention", "en": "Subsidy"},
    "public_contract": {"fr": "Commande publique", "en": "Public contract"},
    "job_subsidy": {"fr": "Aide au poste", "en": "Job subsidy"},
    "volunteering": {"fr": "Bénévolat", "en": "Volunteering"},
    "gift": {"fr": "Dons", "en": "Gifts"},
    "in_kind": {"fr": "Dons en nature", "en": "In kind"},
    "free_premises": {"fr": "Mise à disposition gratuite", "en": "Free premises"},
    "other": {"fr": "Autre", "en": "Other"},
}


def default_year(spec: Any, framework: Any) -> int:
    """The year of single amounts: declared, else the year the evaluated period ends."""
    if spec.year is not None:
        return int(spec.year)
    period = getattr(framework, "period", None)
    end = getattr(period, "end", None) or getattr(period, "start", None)
    if end is None:
        raise FrameworkError("resources_need_year", at="resources")
    return int(end.year)


def _by_year(value: Any, year: int) -> dict[int, float]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {int(y): float(a) for y, a in value.items()}
    return {year: float(value)}


def inline_lines(spec: Any, year: int, volunteering: dict[str, Any], ctx: Any) -> list[Line]:
    lines = []
    for decl in spec.lines:
        forecast = _by_year(decl.forecast, year)
        actual = _by_year(decl.actual, year)
        valued = decl.valued
        if decl.from_volunteering:
            value = (volunteering or {}).get("total_value")
            if value is None:
                ctx.warn(
                    "resources",
                    decl.id,
                    {
                        "fr": f"la ligne {decl.id} reprend la valorisation du bénévolat, qui "
                        "n'est pas disponible (section bénévolat absente, non valorisée ou "
                        "masquée) : son montant réalisé manque",
                        "en": f"line {decl.id} takes the volunteering section's value, which is "
                        "not available (no volunteering section, not valued, or withheld): its "
                        "actual amount is missing",
                    },
                )
                actual = {year: None}  # type: ignore[dict-item]
            else:
                if year in actual:
                    raise FrameworkError(
                        "resources_actual_from_volunteering",
                        at="resources",
                        line=repr(decl.id),
                        year=year,
                    )
                actual = {**actual, year: float(value)}
        amounts: dict[int, dict[str, float | None]] = {}
        for y in sorted(set(forecast) | set(actual)):
            amounts[y] = {"forecast": forecast.get(y), "actual": actual.get(y)}
        lines.append(
            Line(
                id=decl.id,
                label=label_pair(decl.label, decl.id),
                nature=decl.nature,
                kind=decl.kind,
                funders=({decl.funder: 1.0} if decl.funder else dict(decl.funders or {})),
                valued=valued,
                source=decl.source,
                amounts=amounts,
            )
        )
    return lines


def source_lines(spec: Any, year: int, ctx: Any) -> list[Line]:
    """Lines from an accounting export: one row per line (and year)."""
    import pandas as pd

    cols = spec.columns
    frame = ctx.frame(spec.data, spec.where)
    if cols.forecast is None and cols.actual is None:
        raise FrameworkError("resources_no_amount_column", at="resources", source=repr(spec.data))
    funder_ids = [f.id for f in spec.funders]
    lines: dict[str, Line] = {}
    positions = ctx.positions(spec.data, spec.where)
    for position, (_, row) in zip(positions, frame.iterrows()):
        row_number = int(position) + 1
        where = {
            "fr": f"resources : source {spec.data!r}, ligne de données {row_number}",
            "en": f"resources: source {spec.data!r}, data row {row_number}",
        }
        line_id = _text(row[cols.line])
        if line_id is None:
            raise FrameworkError("resources_line_id_empty", at=where, column=repr(cols.line))
        nature = _text(row[cols.nature]) or ""
        kind = (_text(row[cols.kind]) if cols.kind else None) or "other"
        funder = _text(row[cols.funder]) if cols.funder else None
        try:
            check_line(line_id, nature, kind, funder, None)
        except ConfigValueError as exc:  # the inline lines' own coded refusal, at the data row
            raise FrameworkError(exc.code, at=where, **exc.params) from None
        if funder and funder not in funder_ids:
            raise FrameworkError(
                "resources_funder_undeclared",
                at=where,
                line=repr(line_id),
                funder=repr(funder),
                funders=either(", ".join(funder_ids) or "vide", ", ".join(funder_ids) or "empty"),
            )
        row_year = year
        if cols.year:
            value = pd.to_numeric(pd.Series([row[cols.year]]), errors="coerce").iloc[0]
            if pd.isna(value) or float(value) != int(value):
                raise FrameworkError("resources_year_invalid", at=where, column=repr(cols.year))
            row_year = int(value)
        amounts = {}
        for basis in ("forecast", "actual"):
            column = getattr(cols, basis)
            amounts[basis] = _amount(row[column], where, basis, column) if column else None
        label = _text(row[cols.label]) if cols.label else None
        line = lines.get(line_id)
        if line is None:
            line = lines[line_id] = Line(
                id=line_id,
                label=label_pair(label, line_id),
                nature=nature,
                kind=kind,
                funders={funder: 1.0} if funder else {},
                source=spec.data,
            )
        elif (line.nature, line.kind, line.funders) != (
            nature,
            kind,
            {funder: 1.0} if funder else {},
        ):
            raise FrameworkError("resources_line_changes", at=where, line=repr(line_id))
        if row_year in line.amounts:
            raise FrameworkError(
                "resources_line_twice", at=where, line=repr(line_id), year=row_year
            )
        line.amounts[row_year] = amounts
    return list(lines.values())


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text if text and text.lower() not in ("nan", "<na>") else None


_BASES = {
    "forecast": {"fr": "prévu", "en": "forecast"},
    "actual": {"fr": "réalisé", "en": "actual"},
}


def _amount(value: Any, where: dict[str, str], basis: str, column: str) -> float | None:
    if _text(value) is None:
        return None
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise FrameworkError(
            "resources_amount_not_number",
            at=where,
            basis=_BASES[basis],
            column=repr(column),
            value=repr(value),
        ) from None
    if not math.isfinite(amount) or amount < 0:
        raise FrameworkError(
            "resources_amount_negative",
            at=where,
            basis=_BASES[basis],
            column=repr(column),
            value=repr(value),
        )
    return amount


def compute(spec: Any, ctx: Any) -> dict[str, Any]:
    """Lines, their gaps, the three poles by year and basis, the largest funder, changes."""
    if spec is None:
        return {}
    year = default_year(spec, ctx.framework)
    lines = inline_lines(spec, year, ctx.results.get("volunteering") or {}, ctx)
    if spec.data is not None:
        read = source_lines(spec, year, ctx)
        clash = sorted({line.id for line in lines} & {line.id for line in read})
        if clash:
            raise FrameworkError(
                "resources_line_declared_twice",
                at="resources",
                lines=", ".join(clash),
                source=repr(spec.data),
            )
        lines += read
    funder_labels = {f.id: label_pair(f.label, f.id) for f in spec.funders}
    out = figures(lines, funder_labels)
    for totals in out["by_year"]:
        if totals["lines_without_amount"]:
            names = {line.id: line.label for line in lines}
            missing = {
                lang: ", ".join(names[i][lang] for i in totals["lines_without_amount"])
                for lang in ("fr", "en")
            }
            basis = {"forecast": ("prévisionnel", "forecast"), "actual": ("réalisé", "actual")}
            fr, en = basis[totals["basis"]]
            ctx.warn(
                "resources",
                None,
                {
                    "fr": f"les totaux {fr}s {totals['year']} laissent de côté les lignes sans "
                    f"montant : {missing['fr']}",
                    "en": f"the {en} totals of {totals['year']} leave out the lines without an "
                    f"amount: {missing['en']}",
                },
            )
    return {
        "label": label_pair(spec.label, "Ressources") if spec.label else None,
        "currency": spec.currency,
        "funders": [
            {"id": f.id, "label": funder_labels[f.id], "public": f.public} for f in spec.funders
        ],
        **out,
    }
