"""Inline SVG charts from matplotlib, deterministic (same data → same bytes)."""

from __future__ import annotations

import io
import re
from typing import Any


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


def figure_to_svg(fig: Any, title: str = "") -> str:
    """Serialise a figure to an inline <svg> string without metadata dates, then close it."""
    import matplotlib.pyplot as plt

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

        svg = svg.replace(">", f"><title>{escape(title)}</title>", 1)
    return svg
