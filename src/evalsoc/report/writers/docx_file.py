"""report.docx (python-docx, extra `evalsoc[docx]`): an editable Word document the
association can complete — cover, synthesis, the grid's tables, charts as PNG images."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from evalsoc.errors import FrameworkError

FILENAME = "report.docx"


def check() -> None:
    try:
        import docx  # noqa: F401
    except ImportError as exc:
        raise FrameworkError("docx_needs_python_docx", detail=str(exc)) from None


def write(results: Any, folder: Path) -> Path:
    from docx import Document
    from docx.shared import Cm

    from evalsoc.framework.base import label_text
    from evalsoc.report.i18n import t
    from evalsoc.report.synthesis import criterion_rows, effect_lines, not_judged, sroi_line
    from evalsoc.report.tables import all_tables
    from evalsoc.report.words import date_words, period_words, report_date
    from evalsoc.report.writers.docx_tables import add_table
    from evalsoc.report.writers.reproducible import fixed_moment, pin_zip

    lang, data, framework = results.lang, results.data, results.framework
    moment = fixed_moment(results)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    funder = data["framework"].get("edition") == "funder"
    if funder:
        section.header.paragraphs[0].text = t(lang, "edition_funder")
    else:
        section.header.paragraphs[0].text = data["framework"]["title"]
    doc.add_paragraph(t(lang, "report"))
    doc.add_heading(data["framework"]["title"], level=0)
    for line in (
        data["framework"].get("organisation"),
        period_words(data["framework"].get("period"), lang),
        t(lang, "cover_date", date=date_words(report_date(framework, data), lang))
        if report_date(framework, data)
        else None,
        label_text(getattr(framework.report, "evaluator", None), lang) or None,
        t(lang, "edition_funder") if funder else None,
    ):
        if line:
            doc.add_paragraph(line)
    doc.add_page_break()
    doc.add_heading(t(lang, "synthesis"), level=1)
    rows = criterion_rows(framework, data, lang)
    heads = ("criterion", "verdict", "in_one_sentence", "strongest_evidence")
    add_table(
        doc,
        [t(lang, key) for key in heads],
        [
            [r["label"], r["verdict"], r["sentence"], r["evidence"] or t(lang, "no_evidence")]
            for r in rows
        ],
    )
    lines = effect_lines(framework, data, lang) + [sroi_line(data, lang)]
    if any(lines):
        doc.add_heading(t(lang, "key_effects"), level=2)
        for line in lines:
            if line:
                doc.add_paragraph(line, style="List Bullet")
    doc.add_heading(t(lang, "not_judged"), level=2)
    for line in not_judged(framework, data, rows, lang) or [t(lang, "nothing_unjudged")]:
        doc.add_paragraph(line, style="List Bullet")
    charts = _indicator_charts(framework, data, lang)
    if charts:
        doc.add_heading(t(lang, "chart"), level=2)
        for chart in charts:
            doc.add_picture(chart, width=Cm(16))
    for table in all_tables(results):
        doc.add_heading(t(lang, table.code), level=1)
        if table.code == "sheet_indicators":
            _indicators(doc, table, results)
            continue
        add_table(doc, table.headers, [[_cell_text(v, lang) for v in row] for row in table.rows])
    props = doc.core_properties
    props.author = data["framework"].get("organisation") or "evalsoc"
    props.last_modified_by = "evalsoc"
    props.title = data["framework"]["title"]
    props.created = props.modified = props.last_printed = moment
    props.revision = 1
    path = folder / FILENAME
    doc.save(path)
    pin_zip(path, moment)
    return path


def _indicators(doc: Any, table: Any, results: Any) -> None:
    """The indicators, one row each (their groups left out), then each breakdown as a matrix
    (indicator × group, value and n) as in the PDF; every group's interval is in results.xlsx."""
    from evalsoc.report.breakdown_matrix import breakdown_matrices
    from evalsoc.report.html import _indicator_rows
    from evalsoc.report.i18n import t
    from evalsoc.report.writers.docx_tables import add_table

    lang, framework = results.lang, results.framework
    group = table.headers.index(t(lang, "group"))
    add_table(
        doc,
        table.headers[:group] + table.headers[group + 1 :],
        [
            [_cell_text(v, lang) for j, v in enumerate(row) if j != group]
            for row in table.rows
            if not row[group]
        ],
    )
    indicators = results.data.get("indicators") or {}
    rows = [
        _indicator_rows(ind, indicators.get(ind.id) or {}, lang, framework, chart=False)
        for _dim, _crit, ind in framework.all_indicators()
    ]
    for matrix in breakdown_matrices(rows, lang):
        doc.add_heading(matrix.title, level=2)
        add_table(
            doc,
            [t(lang, "indicator"), *matrix.groups],
            [[label] + [cell.text for cell in cells] for label, cells in matrix.rows],
        )


def _cell_text(value: Any, lang: str) -> str:
    from evalsoc.text.format import fmt_number

    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt_number(value, lang, 0)
    if isinstance(value, float):
        return fmt_number(value, lang, 3)
    return str(value)


def _indicator_charts(framework: Any, data: dict[str, Any], lang: str) -> list[io.BytesIO]:
    """Each indicator with a target: its value as a share of the target (100 % = target met)."""
    from evalsoc.framework.base import label_text
    from evalsoc.report.charts_png import ratio_charts

    items = []
    for dim, _crit, ind in framework.all_indicators():
        res = (data.get("indicators") or {}).get(ind.id) or {}
        value, target = res.get("value"), res.get("target")
        if isinstance(value, (int, float)) and isinstance(target, (int, float)) and target:
            items.append(
                (
                    label_text(dim.label, lang, dim.id),
                    label_text(ind.label, lang, ind.id),
                    value / target,
                )
            )
    return ratio_charts(items, lang) if items else []
