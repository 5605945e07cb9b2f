"""Inline SVG charts from matplotlib, deterministic (same data → same bytes)."""

from __future__ import annotations

import io
import re
from contextvars import ContextVar
from typing import Any

# The language of the report being rendered: charts format their axes and data tables in it.
REPORT_LANG: ContextVar[str] = ContextVar("REPORT_LANG", default="fr")


# Readable on a phone: an inline SVG is scaled to its container, ~360 CSS px at 390 px wide.
# A chart at most CHART_WIDTH inches wide (≈ 440 px) keeps ~0.8 of its size there, so text of
# MIN_FONT_PT points (14.7 px) shows at ≥ 11 px; tests/report/test_browser.py measures it.
CHART_WIDTH = 4.6
MIN_FONT_PT = 11.0
TITLE_FONT_PT = 12.0
LABEL_WRAP = 26  # characters per line of a tick label: long labels would widen the chart


def new_figure(width: float = 6.5, height: float = 3.0, *, screen: bool = True) -> tuple[Any, Any]:
    """A matplotlib figure and axes with the Agg backend (no display needed); a chart for the
    screen (`screen`, inline SVG) is at most CHART_WIDTH inches wide with MIN_FONT_PT text."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "evalsoc"
    plt.rcParams["svg.fonttype"] = "none"
    # User labels are plain text: "$" (a currency) must never start matplotlib's math mode.
    plt.rcParams["text.parse_math"] = False
    plt.rcParams["font.size"] = MIN_FONT_PT if screen else 10.0
    fig, ax = plt.subplots(figsize=(min(width, CHART_WIDTH) if screen else width, height))
    return fig, ax


def _readable_text(fig: Any) -> None:
    """Every text of the chart at least MIN_FONT_PT (titles TITLE_FONT_PT), long tick labels
    wrapped, whatever size its section asked for."""
    import textwrap

    from matplotlib.text import Text

    titles = {id(ax.title) for ax in fig.get_axes()}
    for text in fig.findobj(Text):
        floor = TITLE_FONT_PT if id(text) in titles else MIN_FONT_PT
        if text.get_fontsize() < floor:
            text.set_fontsize(floor)
    for ax in fig.get_axes():
        for axis, ticks in ((ax.yaxis, ax.get_yticks()), (ax.xaxis, ax.get_xticks())):
            labels = [label.get_text() for label in axis.get_ticklabels()]
            if any(len(label) > LABEL_WRAP for label in labels):
                axis.set_ticks(ticks, [textwrap.fill(label, LABEL_WRAP) for label in labels])


def _polish(fig: Any, lang: str) -> None:
    """What every chart needs, applied once here: numbers on the axes written the locale's way
    (never '1e6'), legends moved below the plot so they never cover the data."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    from evalsoc.text.format import fmt_number

    def number(x: float, _pos: Any = None) -> str:
        digits = 0 if abs(x - round(x)) < 1e-9 else (1 if abs(x * 10 - round(x * 10)) < 1e-9 else 2)
        return fmt_number(x, lang, digits)

    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            if type(axis.get_major_formatter()) is ScalarFormatter and axis.get_scale() == "linear":
                axis.set_major_formatter(FuncFormatter(number))
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            handles, labels = ax.get_legend_handles_labels()
            if handles:
                legend.remove()
                _legend_below(ax, handles, labels, min(2, len(labels)))


def _legend_below(ax: Any, handles: list[Any], labels: list[str], columns: int) -> None:
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=columns,
        frameon=False,
        fontsize="small",
    )


def _fit_width(fig: Any) -> None:
    """Keep the saved chart (labels and legend included: bbox_inches="tight") within
    CHART_WIDTH inches: narrow the plot by what the labels add, and put a legend wider than the
    chart on one column; otherwise the phone would shrink the chart and its text with it."""
    renderer = fig.canvas.get_renderer()
    for ax in fig.get_axes():
        legend = ax.get_legend()
        if legend is not None and legend.get_window_extent(renderer).width / fig.dpi > CHART_WIDTH:
            handles = list(legend.legend_handles)
            labels = [text.get_text() for text in legend.get_texts()]
            legend.remove()
            _legend_below(ax, handles, labels, 1)
            _readable_text(fig)
    for _ in range(3):
        extra = fig.get_tightbbox(renderer).width - CHART_WIDTH
        if extra <= 0.02:
            return
        width, height = fig.get_size_inches()
        fig.set_size_inches(max(width - extra, 2.0), height)


def data_table(fig: Any, title: str, lang: str) -> str:
    """The chart's plotted values as a table for screen readers (visually hidden)."""
    from markupsafe import escape

    from evalsoc.report.i18n import t
    from evalsoc.text.format import fmt_number

    rows: list[tuple[str, str, str]] = []
    for ax in fig.get_axes():
        for line in ax.get_lines():
            name = str(line.get_label())
            if name.startswith("_"):
                continue
            for x, y in zip(line.get_xdata(), line.get_ydata()):
                rows.append((name, _cell(x, lang), _cell(y, lang)))
        for container in ax.containers:
            name = str(container.get_label())
            ticks = [tl.get_text() for tl in ax.get_yticklabels()] + [
                tl.get_text() for tl in ax.get_xticklabels()
            ]
            for i, patch in enumerate(getattr(container, "patches", [])):
                value = patch.get_width() if _horizontal(container) else patch.get_height()
                what = (
                    name
                    if not name.startswith("_")
                    else (ticks[i] if i < len(ticks) else str(i + 1))
                )
                rows.append((what, str(i + 1), fmt_number(value, lang, 2)))
    if not rows:
        return ""
    body = "".join(
        f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td>{escape(c)}</td></tr>"
        for a, b, c in rows[:200]
    )
    return (
        f'<div class="sr-only"><table><caption>{escape(t(lang, "chart_data"))} — '
        f"{escape(title)}</caption><tbody>{body}</tbody></table></div>"
    )


def _horizontal(container: Any) -> bool:
    return getattr(container, "orientation", None) == "horizontal"


def _cell(value: Any, lang: str) -> str:
    from evalsoc.text.format import fmt_number

    try:
        return fmt_number(float(value), lang, 2)
    except (TypeError, ValueError):
        return str(value)


def figure_to_svg(fig: Any, title: str = "") -> str:
    """Serialise a figure to an inline <svg> string without metadata dates, then close it;
    the chart carries its title as text alternative and its data as a hidden table."""
    import matplotlib.pyplot as plt

    lang = REPORT_LANG.get()
    _polish(fig, lang)
    _readable_text(fig)
    _fit_width(fig)
    table = data_table(fig, title, lang)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    svg = buf.getvalue()
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    # matplotlib's <metadata> block names RDF/Dublin Core URLs: no external address in reports.
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    if title:
        from markupsafe import escape

        svg = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
        svg = svg.replace(">", f"><title>{escape(title)}</title>", 1)
    return svg + table
