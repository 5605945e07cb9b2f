"""Report fragment of the profile grid: each dimension's criteria and their verdicts side by side.

Every criterion of the framework appears, including those with insufficient evidence. A
weighted score, its rank stability under weight draws and the conclusions that change are
shown only when the framework asked for a weighted synthesis.
"""

from __future__ import annotations

from typing import Any

from markupsafe import escape as _markup_escape

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text
from evalsoc.sections.qualitative.config import INSUFFICIENT_EVIDENCE, LEVEL_LABELS
from evalsoc.text.format import fmt_number, fmt_percent


def escape(value: Any) -> str:
    """HTML-escaped text as a plain str (a Markup would re-escape what it is added to)."""
    return str(_markup_escape(value))


TEXT = {
    "fr": {
        "title": "Profil d'utilité sociale",
        "intro": "Chaque critère reçoit un verdict sur l'échelle insuffisant · fragile · "
        "satisfaisant · remarquable, ou « preuves insuffisantes ». Le profil n'additionne pas "
        "les critères : il les montre côte à côte.",
        "criterion": "Critère",
        "verdict": "Verdict",
        "why": "Justification",
        "missing": "pas de résultat",
        "score": "Score pondéré : {score} (niveau {band}) · rang {rank}, conservé dans {stab} "
        "des tirages de poids",
        "no_score": "Pas de score : {reason}.",
        "overall": "Score global pondéré : {score} (niveau {band}), intervalle 90 % des tirages "
        "de poids : {low} à {high}.",
        "sensitivity": "Sensibilité aux poids : {draws} tirages de Dirichlet autour des poids "
        "déclarés (concentration {conc}, graine {seed}).",
        "conclusion": "Conclusion",
        "stable": "Tenue dans",
        "robust": "Robuste",
        "yes": "oui",
        "no": "non — change selon les poids",
        "weight": "Poids",
        "rank_stab": "Rang conservé",
    },
    "en": {
        "title": "Social utility profile",
        "intro": "Each criterion gets a verdict on the scale insufficient · fragile · "
        "satisfactory · outstanding, or 'insufficient evidence'. The profile does not add "
        "criteria up: it shows them side by side.",
        "criterion": "Criterion",
        "verdict": "Verdict",
        "why": "Rationale",
        "missing": "no result",
        "score": "Weighted score: {score} ({band}) · rank {rank}, kept in {stab} of the weight "
        "draws",
        "no_score": "No score: {reason}.",
        "overall": "Overall weighted score: {score} ({band}), 90% interval over the weight "
        "draws: {low} to {high}.",
        "sensitivity": "Sensitivity to the weights: {draws} Dirichlet draws around the declared "
        "weights (concentration {conc}, seed {seed}).",
        "conclusion": "Conclusion",
        "stable": "Holds in",
        "robust": "Robust",
        "yes": "yes",
        "no": "no — changes with the weights",
        "weight": "Weight",
        "rank_stab": "Rank kept",
    },
}


def _verdict_badge(level: str | None, lang: str, text: dict[str, str]) -> str:
    if not level:
        return f'<span class="muted">{escape(text["missing"])}</span>'
    label = LEVEL_LABELS.get(level, {}).get(lang, level)
    return f'<span class="verdict verdict-{escape(level)}">{escape(label)}</span>'


def render(section_results: dict[str, Any], framework: Any, lang: str) -> str:
    """`section_results` = {"criteria": ..., "dimensions": ..., optionally "synthesis": ...}."""
    text = TEXT.get(lang, TEXT["en"])
    criteria = (section_results or {}).get("criteria") or {}
    dimensions = (section_results or {}).get("dimensions") or {}
    synthesis = (section_results or {}).get("synthesis") or {}
    weighted = synthesis.get("mode") == "weighted" or any(
        isinstance(d, dict) and d.get("score") is not None for d in dimensions.values()
    )
    out = [
        f'<section class="criteria-profile"><h2>{escape(text["title"])}</h2>',
        f'<p class="note">{escape(text["intro"])}</p>',
    ]
    out.append(_profile_matrix(framework, criteria, lang, text))
    for dim in framework.dimensions:
        dres = dimensions.get(dim.id) or {}
        out.append(f"<h3>{escape(label_text(dim.label, lang, dim.id))}</h3>")
        if weighted:
            out.append(_dimension_score(dres, lang, text))
        rows = []
        for crit in dim.criteria:
            cres = criteria.get(crit.id) or {}
            verdict = (cres.get("verdict") or INSUFFICIENT_EVIDENCE) if cres else None
            extra = ""
            if weighted and cres.get("rank_stability") is not None:
                extra = (
                    f'<br><span class="muted">{escape(text["weight"])} '
                    f"{escape(fmt_percent(cres.get('weight'), lang, 0))} · "
                    f"{escape(text['rank_stab'])} "
                    f"{escape(fmt_percent(cres['rank_stability'], lang, 0))}</span>"
                )
            rows.append(
                f"<tr><td>{escape(label_text(crit.label, lang, crit.id))}</td>"
                f"<td>{_verdict_badge(verdict, lang, text)}{extra}</td></tr>"
            )
        out.append(
            f'<table class="data"><thead><tr><th>{escape(text["criterion"])}</th>'
            f"<th>{escape(text['verdict'])}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    if synthesis.get("mode") == "weighted":
        out.append(_synthesis(synthesis, lang, text))
    out.append("</section>")
    return "\n".join(out)


def _profile_matrix(
    framework: Any, criteria: dict[str, Any], lang: str, text: dict[str, str]
) -> str:
    """One row per dimension, its criteria's verdicts side by side."""
    rows = []
    for dim in framework.dimensions:
        cells = []
        for crit in dim.criteria:
            cres = criteria.get(crit.id) or {}
            verdict = cres.get("verdict") or (INSUFFICIENT_EVIDENCE if cres else None)
            cells.append(
                f"<td>{escape(label_text(crit.label, lang, crit.id))}<br>"
                f"{_verdict_badge(verdict, lang, text)}</td>"
            )
        rows.append(
            f"<tr><th>{escape(label_text(dim.label, lang, dim.id))}</th>{''.join(cells)}</tr>"
        )
    return f'<table class="data profile"><tbody>{"".join(rows)}</tbody></table>'


def _dimension_score(dres: dict[str, Any], lang: str, text: dict[str, str]) -> str:
    if dres.get("score") is None:
        reason = reason_text(dres.get("score_reason"), lang) or "—"
        return f'<p class="muted">{escape(text["no_score"].format(reason=reason))}</p>'
    band = LEVEL_LABELS.get(dres.get("band") or "", {}).get(lang, "—").lower()
    stab = fmt_percent(dres.get("rank_stability"), lang, 0)
    line = text["score"].format(
        score=fmt_number(dres["score"], lang, 2), band=band, rank=dres.get("rank"), stab=stab
    )
    return f"<p>{escape(line)}</p>"


def _synthesis(syn: dict[str, Any], lang: str, text: dict[str, str]) -> str:
    if syn.get("score") is None:
        return f'<p class="muted">{escape(text["no_score"].format(reason=reason_text(syn.get("reason"), lang) or "—"))}</p>'
    band = LEVEL_LABELS.get(syn.get("band") or "", {}).get(lang, "—").lower()
    low, high = (syn.get("interval_90") or [None, None])[:2]
    out = [
        f"<p><strong>{escape(text['overall'].format(score=fmt_number(syn['score'], lang, 2), band=band, low=fmt_number(low, lang, 2), high=fmt_number(high, lang, 2)))}</strong></p>",
        f'<p class="muted">{escape(text["sensitivity"].format(draws=syn.get("draws"), conc=fmt_number(syn.get("concentration"), lang, 0), seed=syn.get("seed")))}</p>',
    ]
    rows = []
    for c in syn.get("conclusions") or []:
        robust = c.get("robust")
        cls = "" if robust else ' class="warning"'
        rows.append(
            f"<tr{cls}><td>{escape((c.get('text') or {}).get(lang, c.get('id')))}</td>"
            f'<td class="num">{escape(fmt_percent(c.get("stable_share"), lang, 0))}</td>'
            f"<td>{escape(text['yes'] if robust else text['no'])}</td></tr>"
        )
    if rows:
        out.append(
            f'<table class="data"><thead><tr><th>{escape(text["conclusion"])}</th>'
            f"<th>{escape(text['stable'])}</th><th>{escape(text['robust'])}</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>"
        )
    return "\n".join(out)
