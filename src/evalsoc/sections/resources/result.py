"""Typed result of the resources section (results.json `resources`)."""

from __future__ import annotations

from pydantic import Field

from evalsoc.sections.result_base import ResultModel, Text


class PoleFigures(ResultModel):
    amount: float
    share: float | None = Field(description="Of all resources, valued reciprocity included.")
    share_monetary: float | None = Field(
        description="Of monetary resources (market + redistribution); null for reciprocity."
    )


class Poles(ResultModel):
    market: PoleFigures
    redistribution: PoleFigures
    reciprocity: PoleFigures


class FunderFigures(ResultModel):
    id: str
    label: Text | None = None
    amount: float
    share: float | None = Field(description="Of all resources (dependence on this funder).")
    share_monetary: float | None


class YearTotals(ResultModel):
    year: int
    basis: str = Field(description="forecast or actual")
    total: float
    total_monetary: float
    poles: Poles
    funders: list[FunderFigures]
    largest_funder: FunderFigures | None
    lines_without_amount: list[str]
    unvalued_lines: list[str]


class LineAmounts(ResultModel):
    year: int
    forecast: float | None
    actual: float | None
    gap: float | None = Field(description="actual − forecast")
    gap_relative: float | None = Field(description="gap / forecast")


class BudgetLineResult(ResultModel):
    id: str
    label: Text
    nature: str
    kind: str
    funders: dict[str, float]
    valued: bool
    source: str | None
    amounts: list[LineAmounts]


class FunderDecl(ResultModel):
    id: str
    label: Text
    public: bool


class Change(ResultModel):
    year_from: int
    year_to: int
    item: str = Field(description="total or a pole")
    amount_from: float
    amount_to: float
    change: float
    change_relative: float | None
    share_change: float | None = Field(description="In share points (0.05 = 5 points).")


class ResourcesResult(ResultModel):
    label: Text | None = None
    currency: str
    funders: list[FunderDecl]
    years: list[int]
    lines: list[BudgetLineResult]
    by_year: list[YearTotals]
    changes: list[Change]
