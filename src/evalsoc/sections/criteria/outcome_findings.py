"""Findings from measured outcomes: effect estimates (read by their interval) and capability
change over time, with the cap an inconclusive or unfavourable reading puts on a verdict.
"""

from __future__ import annotations

from typing import Any

from evalsoc.privacy.cells import reason_text
from evalsoc.sections.common import finite_or_none
from evalsoc.sections.criteria.wording import Finding, _lvl, _name, _num, _t
from evalsoc.sections.qualitative.config import VerdictRules


def effect_reading(
    estimate: float,
    ci_low: float | None,
    ci_high: float | None,
    p_value: float | None,
    better: str,
    significance: float,
) -> str:
    """favourable / unfavourable (the CI excludes 0, or p < significance without a CI) or
    inconclusive."""
    sign = 1.0 if better == "higher" else -1.0
    if ci_low is not None and ci_high is not None:
        conclusive = ci_low > 0 or ci_high < 0
    elif p_value is not None:
        conclusive = p_value < significance
    else:
        conclusive = False
    if not conclusive or estimate == 0:
        return "inconclusive"
    return "favourable" if sign * estimate > 0 else "unfavourable"


READING_LEVEL = {
    "favourable": "satisfaisant",
    "inconclusive": "fragile",
    "unfavourable": "insuffisant",
}


READING_CAP = {"favourable": None, "inconclusive": "satisfaisant", "unfavourable": "fragile"}


READING_TEXT = {
    "favourable": _t("effet favorable établi", "favourable effect established"),
    "inconclusive": _t(
        "effet non établi (l'intervalle contient 0)",
        "effect not established (the interval contains 0)",
    ),
    "unfavourable": _t("effet défavorable établi", "unfavourable effect established"),
}


def _interval_words(low: Any, high: Any) -> tuple[str, str]:
    """' (IC 95 % a à b)' and ' (95% CI a to b)', or empty strings without an interval."""
    if low is None:
        return "", ""
    return (
        f" (IC 95 % {_num(low, 'fr')} à {_num(high, 'fr')})",
        f" (95% CI {_num(low, 'en')} to {_num(high, 'en')})",
    )


def _weigh(finding: Finding, reading: str, mode: str) -> tuple[str, str]:
    """Set the finding's level/cap by the rule mode; return the FR/EN consequence."""
    finding.reading, finding.mode = reading, mode
    if mode == "level":
        finding.level = READING_LEVEL[reading]
        return (f"→ {_lvl(finding.level, 'fr')}", f"→ {_lvl(finding.level, 'en')}")
    if mode == "cap":
        # With no indicator level, capping evidence is read as a level (see _conclude).
        finding.cap = READING_CAP[reading]
        if finding.cap:
            return (
                f"plafonne le verdict à {_lvl(finding.cap, 'fr')}",
                f"caps the verdict at {_lvl(finding.cap, 'en')}",
            )
        return ("conforte le verdict", "supports the verdict")
    return ("cité, sans effet sur le verdict", "cited, no bearing on the verdict")


def _effect(eid: str, res: dict[str, Any], rules: VerdictRules, label: Any) -> Finding:
    finding = Finding(eid, "effect", res.get("design"))
    name_fr, name_en = _name(label, eid, "fr"), _name(label, eid, "en")
    estimate = finite_or_none(res.get("estimate"))
    if res.get("estimable") is False or estimate is None:
        fr, en = (reason_text(res.get("reason"), lang) for lang in ("fr", "en"))
        finding.text = _t(
            f"Effet « {name_fr} » : non estimable{' (' + fr + ')' if fr else ''}.",
            f"Effect “{name_en}”: not estimable{' (' + en + ')' if en else ''}.",
        )
        return finding
    low, high = finite_or_none(res.get("ci_low")), finite_or_none(res.get("ci_high"))
    better = rules.better.get(eid) or res.get("better") or "higher"
    reading = effect_reading(
        estimate, low, high, finite_or_none(res.get("p_value")), better, rules.significance
    )
    fr_then, en_then = _weigh(finding, reading, rules.effects)
    ci_fr, ci_en = _interval_words(low, high)
    finding.text = _t(
        f"Effet « {name_fr} » : {_num(estimate, 'fr')}{ci_fr}, {READING_TEXT[reading]['fr']} ; "
        f"{fr_then}.",
        f"Effect “{name_en}”: {_num(estimate, 'en')}{ci_en}, {READING_TEXT[reading]['en']}; "
        f"{en_then}.",
    )
    return finding


def capability_change(res: dict[str, Any]) -> tuple[float, float | None, float | None] | None:
    """(change in M0, ci_low, ci_high) at the first k from a capability result's `change`.

    Reads `change.comparisons` (first wave → last wave when there are several, else the first
    comparison; `results[0].M0` with `absolute` and `absolute_ci`), or simpler shapes with an
    `M0` entry or an `absolute`/`estimate` and a CI or SE.
    """
    change = res.get("change")
    if isinstance(change, dict) and isinstance(change.get("comparisons"), list):
        shown = [c for c in change["comparisons"] if isinstance(c, dict) and c.get("results")]
        waves = [w.get("wave") for w in change.get("waves") or [] if isinstance(w, dict)]
        span = [
            c for c in shown if waves and c.get("from") == waves[0] and c.get("to") == waves[-1]
        ]
        chosen = (span or shown)[:1]
        change = [chosen[0]["results"][0]] if chosen else None
    candidates = change if isinstance(change, list) else [change]
    for item in candidates:
        if not isinstance(item, dict):
            continue
        src = item.get("M0") if isinstance(item.get("M0"), dict) else item
        estimate = next(
            (
                finite_or_none(src[k])
                for k in ("absolute", "difference", "delta", "estimate", "change")
                if finite_or_none(src.get(k)) is not None
            ),
            None,
        )
        if estimate is None:
            continue
        low, high = finite_or_none(src.get("ci_low")), finite_or_none(src.get("ci_high"))
        ci = src.get("ci") or src.get("absolute_ci")
        if low is None and isinstance(ci, (list, tuple)) and len(ci) == 2:
            low, high = finite_or_none(ci[0]), finite_or_none(ci[1])
        se = finite_or_none(src.get("se") or src.get("absolute_se"))
        if low is None and se is not None:
            low, high = estimate - 1.959964 * se, estimate + 1.959964 * se
        return estimate, low, high
    return None


def _capability(cid: str, res: dict[str, Any], rules: VerdictRules, label: Any) -> Finding:
    finding = Finding(cid, "capability", "alkire_foster")
    name_fr, name_en = _name(label, cid, "fr"), _name(label, cid, "en")
    head_fr = head_en = ""
    first = (res.get("results") or [None])[0]
    if isinstance(first, dict) and finite_or_none(first.get("M0")) is not None:
        k = first.get("k")
        head_fr = (
            f"M0 = {_num(first['M0'], 'fr')}, H = {_num(first.get('H'), 'fr', 'share')} à k = {k}"
        )
        head_en = (
            f"M0 = {_num(first['M0'], 'en')}, H = {_num(first.get('H'), 'en', 'share')} at k = {k}"
        )
    change = capability_change(res)
    if change is None:
        finding.text = _t(
            f"Pouvoir d'agir « {name_fr} » : {head_fr or 'pas de mesure'} ; sans évolution "
            "mesurée, cité sans niveau.",
            f"Capability set “{name_en}”: {head_en or 'no measure'}; no measured change, "
            "cited without a level.",
        )
        return finding
    estimate, low, high = change
    # M0 counts deprivation: a fall is favourable unless declared otherwise.
    better = rules.better.get(cid, "lower")
    reading = effect_reading(estimate, low, high, None, better, rules.significance)
    fr_then, en_then = _weigh(finding, reading, rules.capabilities)
    words = {
        "favourable": _t("évolution favorable établie", "favourable change established"),
        "inconclusive": _t("évolution non établie", "change not established"),
        "unfavourable": _t("évolution défavorable établie", "unfavourable change established"),
    }[reading]
    ci_fr, ci_en = _interval_words(low, high)
    finding.text = _t(
        f"Pouvoir d'agir « {name_fr} » : {head_fr + ' ; ' if head_fr else ''}variation de M0 "
        f"{_num(estimate, 'fr')}{ci_fr}, {words['fr']} ; {fr_then}.",
        f"Capability set “{name_en}”: {head_en + '; ' if head_en else ''}change in M0 "
        f"{_num(estimate, 'en')}{ci_en}, {words['en']}; {en_then}.",
    )
    return finding
