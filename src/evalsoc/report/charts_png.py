"""PNG charts for the Word document (matplotlib, Agg, no metadata: same data → same bytes)."""

from __future__ import annotations

import io
import textwrap

from evalsoc.report.i18n import t
from evalsoc.text.format import fmt_percent


def ratio_chart(items: list[tuple[str, float]], lang: str) -> io.BytesIO:
    """Horizontal bars: value / target per indicator, a line at 100 % (the target)."""
    from matplotlib.ticker import FuncFormatter

    from evalsoc.report.charts import new_figure

    fig, ax = new_figure(7.0, 0.45 * len(items) + 1.2)
    labels = [textwrap.fill(label, 45) for label, _ in items]
    ratios = [ratio for _, ratio in items]
    ax.barh(range(len(items)), ratios, color=["#1b7837" if r >= 1 else "#b2182b" for r in ratios])
    ax.axvline(1.0, color="#333", linestyle="--", linewidth=1)
    ax.set_yticks(range(len(items)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fmt_percent(x, lang, 0)))
    ax.set_xlabel(t(lang, "ratio_axis"))
    ax.set_title(t(lang, "ratio_title"), fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    buf.seek(0)
    return buf
