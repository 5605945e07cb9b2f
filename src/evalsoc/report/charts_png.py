"""PNG charts for the Word document (matplotlib, Agg, no metadata: same data → same bytes)."""

from __future__ import annotations

import io
import textwrap

from evalsoc.report.i18n import t
from evalsoc.text.format import fmt_percent

# Bars per picture: 25 bars of 0.3 in fit one A4 page at 16 cm wide; 200 indicators would
# otherwise make one picture two metres tall (and cost seconds of text layout).
BARS_PER_CHART = 25
BAR_INCHES = 0.3
MARGIN_INCHES = (0.45, 0.75)  # top (title), bottom (axis label)


def ratio_charts(items: list[tuple[str, float]], lang: str) -> list[io.BytesIO]:
    """The indicators against their targets, BARS_PER_CHART bars a picture."""
    return [
        ratio_chart(items[i : i + BARS_PER_CHART], lang)
        for i in range(0, len(items), BARS_PER_CHART)
    ]


def ratio_chart(items: list[tuple[str, float]], lang: str) -> io.BytesIO:
    """Horizontal bars: value / target per indicator, a line at 100 % (the target)."""
    from matplotlib.ticker import FuncFormatter

    from evalsoc.report.charts import new_figure

    top, bottom = MARGIN_INCHES
    height = BAR_INCHES * len(items) + top + bottom
    fig, ax = new_figure(7.0, height, screen=False)
    labels = [textwrap.fill(label, 45) for label, _ in items]
    ratios = [ratio for _, ratio in items]
    ax.barh(range(len(items)), ratios, color=["#1b7837" if r >= 1 else "#b2182b" for r in ratios])
    ax.axvline(1.0, color="#333", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(items)), labels, fontsize=8)
    ax.set_ylim(len(items) - 0.5, -0.5)  # first indicator on top
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_percent(x, lang, 0)))
    ax.set_xlabel(t(lang, "ratio_axis"))
    ax.set_title(t(lang, "ratio_title"), fontsize=10)
    # Fixed margins (labels wrapped at 45 characters of 8 pt take under 3 in) rather than
    # tight_layout, which lays every label out once more before the drawing.
    fig.subplots_adjust(left=0.42, right=0.97, top=1 - top / height, bottom=bottom / height)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    buf.seek(0)
    return buf
