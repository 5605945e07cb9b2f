"""Config model of the `resources:` section: the budget's lines, forecast and actual, by nature.

An association's economy is hybrid (Laville's three poles): market resources (sales, fees),
redistribution (subsidies, public contracts, by funder) and reciprocity (volunteering, gifts,
in-kind, free premises). Lines are declared inline or read from a source exported from the
accounts (one row per line, and per year when several years are given). Amounts are never
negative (a refund is a smaller line, not a negative one). A line may be co-funded: its
`funders` shares must add up to 100 %. Only pydantic and evalsoc.framework.base here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from evalsoc.errors import ConfigValueError, either
from evalsoc.framework.base import Label, StrictModel
from evalsoc.framework.columns import READS

NATURES = ("market", "redistribution", "reciprocity")
KINDS: dict[str, tuple[str, ...]] = {
    "market": ("sales", "fees", "other"),
    "redistribution": ("subsidy", "public_contract", "job_subsidy", "other"),
    "reciprocity": ("volunteering", "gift", "in_kind", "free_premises", "other"),
}
SHARE_TOLERANCE = 1e-9

Amount = float | dict[int, float]  # one amount, or one per year


class Funder(StrictModel):
    """A funder of redistribution lines (the State, a département, a foundation...)."""

    id: str
    label: Label | None = None
    public: bool = Field(True, description="A public body (true) or a private one (false).")


class BudgetLine(StrictModel):
    """One line of the budget: its nature, kind, funder(s) and amounts (forecast, actual)."""

    id: str
    label: Label | None = None
    nature: Literal["market", "redistribution", "reciprocity"]
    kind: str = "other"
    funder: str | None = Field(None, description="The one funder of a redistribution line.")
    funders: dict[str, float] | None = Field(
        None, description="Shares of a co-funded line by funder id; they add up to 1."
    )
    forecast: Amount | None = Field(None, description="Forecast amount (or {year: amount}).")
    actual: Amount | None = Field(None, description="Actual amount (or {year: amount}).")
    from_volunteering: bool = Field(
        False, description="true: the actual amount is the volunteering section's total value."
    )
    valued: bool = Field(
        True, description="false: a reciprocity resource listed without a money value."
    )
    source: str | None = Field(None, description="Where the amount comes from, in words.")

    @model_validator(mode="after")
    def _check(self) -> BudgetLine:
        check_line(
            self.id, self.nature, self.kind, self.funder, self.funders, self.from_volunteering
        )
        for name in ("forecast", "actual"):
            value = getattr(self, name)
            amounts = value.values() if isinstance(value, dict) else [value]
            if any(a is not None and a < 0 for a in amounts):
                raise ConfigValueError(
                    "resources_line_amount_negative", line=repr(self.id), key=name
                )
        if not self.valued and (self.forecast is not None or self.actual is not None):
            raise ConfigValueError("resources_unvalued_with_amount", line=repr(self.id))
        if self.from_volunteering and self.actual is not None and not isinstance(self.actual, dict):
            raise ConfigValueError("resources_volunteering_actual_given", line=repr(self.id))
        return self


def check_line(
    line: str,
    nature: str,
    kind: str,
    funder: str | None,
    funders: dict[str, float] | None,
    from_volunteering: bool = False,
) -> None:
    """The rules a line obeys, inline or read from a source (ConfigValueError, coded)."""
    if nature not in NATURES:
        raise ConfigValueError(
            "resources_nature_unknown",
            line=repr(line),
            nature=repr(nature),
            known=", ".join(NATURES),
        )
    if kind not in KINDS[nature]:
        raise ConfigValueError(
            "resources_kind_unknown",
            line=repr(line),
            kind=repr(kind),
            nature=nature,
            known=", ".join(KINDS[nature]),
        )
    if nature != "redistribution" and (funder or funders):
        raise ConfigValueError(
            "resources_funder_not_redistribution", line=repr(line), nature=nature
        )
    if nature == "redistribution" and not (funder or funders):
        raise ConfigValueError("resources_redistribution_needs_funder", line=repr(line))
    if funder and funders:
        raise ConfigValueError("resources_funder_and_funders", line=repr(line))
    if funders:
        if any(share < 0 for share in funders.values()):
            raise ConfigValueError("resources_funder_share_negative", line=repr(line))
        total = sum(funders.values())
        percent = either(f"{round(total * 100)} %", f"{total:.0%}")
        if total > 1 + SHARE_TOLERANCE:
            raise ConfigValueError("resources_funder_shares_over", line=repr(line), total=percent)
        if total < 1 - SHARE_TOLERANCE:
            raise ConfigValueError("resources_funder_shares_under", line=repr(line), total=percent)
    if from_volunteering and (nature, kind) != ("reciprocity", "volunteering"):
        raise ConfigValueError("resources_from_volunteering_kind", line=repr(line))


class BudgetColumns(StrictModel):
    """Columns of a budget source exported from the accounts."""

    line: str = Field("line", json_schema_extra=READS["column"])
    label: str | None = Field(None, json_schema_extra=READS["optional_column"])
    nature: str = Field("nature", json_schema_extra=READS["column"])
    kind: str | None = Field(None, json_schema_extra=READS["optional_column"])
    funder: str | None = Field(None, json_schema_extra=READS["optional_column"])
    forecast: str | None = Field(None, json_schema_extra=READS["optional_column"])
    actual: str | None = Field(None, json_schema_extra=READS["optional_column"])
    year: str | None = Field(None, json_schema_extra=READS["optional_column"])


class ResourcesSpec(StrictModel):
    """`resources:` — budget lines (inline or from a source), funders, currency, year."""

    label: Label | None = None
    currency: str = "EUR"
    year: int | None = Field(
        None, ge=1900, le=2200, description="Year of single amounts (default: the period's)."
    )
    funders: list[Funder] = Field(default_factory=list)
    lines: list[BudgetLine] = Field(default_factory=list)
    data: str | None = Field(None, description="A source with one row per line (and year).")
    where: str | None = Field(None, json_schema_extra=READS["expression"])
    columns: BudgetColumns = Field(default_factory=BudgetColumns)

    @model_validator(mode="after")
    def _check(self) -> ResourcesSpec:
        if not self.lines and self.data is None:
            raise ConfigValueError("resources_needs_lines")
        ids = [line.id for line in self.lines]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ConfigValueError("resources_line_ids_twice", ids=", ".join(twice))
        funder_ids = [f.id for f in self.funders]
        if len(set(funder_ids)) != len(funder_ids):
            raise ConfigValueError("resources_funder_ids_twice")
        for line in self.lines:
            named = [line.funder] if line.funder else list(line.funders or {})
            missing = [f for f in named if f not in funder_ids]
            if missing:
                raise ConfigValueError(
                    "resources_funder_undeclared",
                    line=repr(line.id),
                    funder=repr(missing[0]),
                    funders=either(
                        ", ".join(funder_ids) or "vide", ", ".join(funder_ids) or "empty"
                    ),
                )
        if sum(line.from_volunteering for line in self.lines) > 1:
            raise ConfigValueError("resources_from_volunteering_twice")
        return self
