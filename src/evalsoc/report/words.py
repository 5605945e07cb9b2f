"""Dates, periods and labels the way a reader writes them (Babel), never ISO codes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from evalsoc.framework.base import label_text
from evalsoc.report.i18n import t

_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def date_words(value: Any, lang: str) -> str:
    """'31 décembre 2025' / '31 December 2025'."""
    from babel.dates import format_date

    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    text = format_date(value, format="long", locale=_LOCALES.get(lang, "en_GB"))
    # French writes the first day of a month as an ordinal: « 1er janvier ».
    return "1er" + text[1:] if lang == "fr" and value.day == 1 else text


def period_words(period: dict | None, lang: str) -> str:
    """'du 1 janvier 2025 au 31 décembre 2025'; empty when the framework has no period."""
    if not period:
        return ""
    start, end = period.get("start"), period.get("end")
    if start and end:
        return t(lang, "period_words", start=date_words(start, lang), end=date_words(end, lang))
    if start:
        return t(lang, "period_from", start=date_words(start, lang))
    if end:
        return t(lang, "period_until", end=date_words(end, lang))
    return ""


def report_date(framework: Any, data: dict) -> str | None:
    """The report's date: `report.date`, else the end of the period — never the clock, so that
    the same inputs give the same bytes."""
    declared = getattr(getattr(framework, "report", None), "date", None)
    if declared:
        return declared.isoformat()
    period = data["framework"].get("period") or {}
    return period.get("end") or period.get("start")


def column_spec(framework: Any, column: str, source: str | None = None) -> Any:
    """The declared column (in `source`, else the first source declaring it)."""
    data = getattr(framework, "data", None) or {}  # a fragment may be rendered on its own
    sources = [data[source]] if source in data else data.values()
    for src in sources:
        if column in src.columns:
            return src.columns[column]
    return None


def column_label(framework: Any, column: str, lang: str, source: str | None = None) -> str:
    """The column's declared `label`, its name when it has none."""
    spec = column_spec(framework, column, source)
    return label_text(getattr(spec, "label", None), lang, column)


def value_label(
    framework: Any, column: str, value: Any, lang: str, source: str | None = None
) -> str:
    """A coded value's declared label (`labels:` of its column), the value when it has none."""
    spec = column_spec(framework, column, source)
    labels = getattr(spec, "labels", None) or {}
    for key in (value, str(value)):
        if key in labels:
            return label_text(labels[key], lang, str(value))
    for key, label in labels.items():
        if str(key) == str(value):
            return label_text(label, lang, str(value))
    return str(value)
