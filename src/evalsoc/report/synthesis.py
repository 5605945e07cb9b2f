"""The one-page synthesis: the evaluative questions, each criterion's verdict in one plain
sentence with its strongest evidence, the key effects, the SROI interval in words, and what
could not be judged and why. Evaluator-facing warnings never appear here (they go to the annex).
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

from evalsoc.framework.base import label_text
from evalsoc.report.i18n import t
from evalsoc.report.narrative import narrative_html
from evalsoc.sections.qualitative.config import INSUFFICIENT_EVIDENCE, LEVEL_LABELS
from evalsoc.text.format import fmt_number

LEVEL_ORDER = {"remarquable": 4, "satisfaisant": 3, "fragile": 2, "insuffisant": 1}
_VERDICT_TAIL = re.compile(r"\s*(→\s*[^.;]+|;\s*(conforte le verdict|supports the verdict))\.?\s*$")


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return value.get(lang) or value.get("fr") or value.get("en") or ""
    return str(value or "")


def strongest_evidence(cres: dict[str, Any], lang: str) -> str:
    """A favourable counterfactual effect first, else the best-judged element, in words."""
    elements = list(cres.get("indicators") or []) + list(cres.get("evidence") or [])

    def strength(e: dict[str, Any]) -> tuple[int, int]:
        effect = e.get("source") == "effect" and e.get("reading") == "favourable"
        return (1 if effect else 0, LEVEL_ORDER.get(e.get("level") or "", 0))

    candidates = [e for e in elements if strength(e) > (0, 0) and e.get("rationale")]
    if not candidates:
        return ""
    best = max(candidates, key=strength)
    return _VERDICT_TAIL.sub("", _text(best["rationale"], lang)).rstrip(" ;:") + "."


def criterion_rows(framework: Any, data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    criteria = data.get("criteria") or {}
    readings = getattr(framework.narrative, "criteria", None) or {}
    rows = []
    for dim in framework.dimensions:
        for crit in dim.criteria:
            cres = criteria.get(crit.id) or {}
            level = cres.get("verdict") or INSUFFICIENT_EVIDENCE
            rows.append(
                {
                    "id": crit.id,
                    "dimension": label_text(dim.label, lang, dim.id),
                    "label": label_text(crit.label, lang, crit.id),
                    "question": label_text(crit.question, lang),
                    "level": level,
                    "verdict": LEVEL_LABELS.get(level, {}).get(lang, level),
                    "sentence": t(lang, f"sentence_{level}")
                    if level in LEVEL_LABELS
                    else _text(cres.get("summary"), lang),
                    "reading": narrative_html(readings.get(crit.id), lang),
                    "evidence": strongest_evidence(cres, lang),
                    "why_not": _text(cres.get("summary"), lang)
                    if level == INSUFFICIENT_EVIDENCE
                    else "",
                }
            )
    return rows


def effect_lines(framework: Any, data: dict[str, Any], lang: str) -> list[str]:
    """One line per estimated effect: its sentence when the design wrote one."""
    lines = []
    effects = data.get("effects") or {}
    for spec in getattr(framework, "effects", []) or []:
        res = effects.get(spec.id) or {}
        if not res or not res.get("estimable", res.get("estimate") is not None):
            continue
        sentence = _text(res.get("sentence"), lang)
        label = label_text(spec.label, lang, spec.id)
        if sentence:
            lines.append(f"{label} — {sentence}")
            continue
        low, high = res.get("ci_low"), res.get("ci_high")
        if low is None or high is None:
            continue
        words = (
            "effect_unclear"
            if low <= 0 <= high
            else (
                "effect_favourable"
                if (low > 0) == (res.get("better", "higher") == "higher")
                else "effect_unfavourable"
            )
        )
        lines.append(
            t(
                lang,
                "effect_line",
                label=label,
                estimate=fmt_number(res.get("estimate"), lang, 2),
                low=fmt_number(low, lang, 2),
                high=fmt_number(high, lang, 2),
                words=t(lang, words),
            )
        )
    return lines


def sroi_line(data: dict[str, Any], lang: str) -> str:
    """The SROI ratio's simulation interval in words (or why it could not be estimated)."""
    from evalsoc.sections.sroi.render import money

    sroi = data.get("sroi") or {}
    if not sroi or sroi.get("status") == "not_computed":
        return ""
    if not sroi.get("estimable"):
        return t(lang, "sroi_not_estimable", reason=_text(sroi.get("reason"), lang) or "—")
    mc = sroi.get("monte_carlo") or {}
    cur = sroi.get("currency") or "EUR"
    interval = mc.get("ci90") if mc.get("estimable") else None
    if not interval:  # no simulation: the interval collapses to the central estimate
        interval = [sroi.get("ratio"), sroi.get("ratio")]
    level = "90 %" if lang == "fr" else "90%"
    return t(
        lang,
        "sroi_words",
        low=money(interval[0], cur, lang, 2),
        high=money(interval[1], cur, lang, 2),
        level=level,
        central=money(sroi.get("ratio"), cur, lang, 2),
    )


def not_judged(framework: Any, data: dict[str, Any], rows: list[dict], lang: str) -> list[str]:
    """Criteria without a verdict and indicators that could not be computed, with why."""
    out = [f"{r['label']} — {r['why_not']}" for r in rows if r["why_not"]]
    indicators = data.get("indicators") or {}
    for _dim, _crit, ind in framework.all_indicators():
        res = indicators.get(ind.id) or {}
        if res.get("status") in ("not_estimable", "not_computed"):
            reason = _text(res.get("reason"), lang) or t(lang, res["status"])
            out.append(f"{label_text(ind.label, lang, ind.id)} — {reason}")
    return out


def render(framework: Any, data: dict[str, Any], lang: str) -> Markup:
    rows = criterion_rows(framework, data, lang)
    questions = [
        label_text(q, lang) for q in (getattr(framework.narrative, "questions", None) or [])
    ] or [r["question"] for r in rows if r["question"]]
    parts = [
        f'<section id="synthesis" class="synthesis page-break"><h2>{escape(t(lang, "synthesis"))}</h2>'
    ]
    if questions:
        parts.append(f"<h3>{escape(t(lang, 'questions'))}</h3><ol>")
        parts += [f"<li>{escape(q)}</li>" for q in questions]
        parts.append("</ol>")
    parts.append(
        f"<h3>{escape(t(lang, 'verdicts'))}</h3>"
        f'<table class="data verdicts"><thead><tr><th>{escape(t(lang, "criterion"))}</th>'
        f"<th>{escape(t(lang, 'verdict'))}</th><th>{escape(t(lang, 'in_one_sentence'))}</th>"
        f"<th>{escape(t(lang, 'strongest_evidence'))}</th></tr></thead><tbody>"
    )
    for r in rows:
        parts.append(
            f"<tr><td>{escape(r['label'])}</td>"
            f'<td><span class="verdict verdict-{escape(r["level"])}">{escape(r["verdict"])}</span></td>'
            f"<td>{escape(r['sentence'])}{r['reading']}</td>"
            f"<td>{escape(r['evidence'] or t(lang, 'no_evidence'))}</td></tr>"
        )
    parts.append("</tbody></table>")
    effects = effect_lines(framework, data, lang)
    sroi = sroi_line(data, lang)
    if effects or sroi:
        parts.append(f"<h3>{escape(t(lang, 'key_effects'))}</h3><ul>")
        parts += [f"<li>{escape(line)}</li>" for line in effects]
        if sroi:
            parts.append(f"<li>{escape(sroi)}</li>")
        parts.append("</ul>")
    parts.append(f"<h3>{escape(t(lang, 'not_judged'))}</h3>")
    missing = not_judged(framework, data, rows, lang)
    if missing:
        parts.append("<ul>" + "".join(f"<li>{escape(m)}</li>" for m in missing) + "</ul>")
    else:
        parts.append(f"<p>{escape(t(lang, 'nothing_unjudged'))}</p>")
    parts.append("</section>")
    return Markup("\n".join(parts))
