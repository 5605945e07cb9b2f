"""Inline SVG charts from matplotlib, deterministic (same data → same bytes)."""

from __future__ import annotations

import io
import re
from contextvars import ContextVar
from typing import Any

# The language of the report being rendered: charts format their axes and data tables in it.
REPORT_LANG: ContextVar[str] = ContextVar("REPORT_LANG", default="fr")


def new_figure(width: float = 6.5, height: float = 3.0) -> tuple[Any, Any]:
    """A matplotlib figure and axes with the Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "evalsoc"
    plt.rcParams["svg.fonttype"] = "none"
    # User labels are plain text: "$" (a currency) must never start matplotlib's math mode.
    plt.rcParams["text.parse_math"] = False
    fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


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
                ax.legend(
                    handles,
                    labels,
                    loc="upper center",
                    bbox_to_anchor=(0.5, -0.18),
                    ncol=min(2, len(labels)),
                    frameon=False,
                    fontsize="small",
                )


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
