"""Tidy tables of a results document, one per section (`Results.to_frames()`), and its plain
text summary (`Results.summary()`). Reads results.json's dict only, so it serves saved runs too."""

from __future__ import annotations

from typing import Any

CELL_KEYS = ("value", "ci_low", "ci_high", "n", "count", "status", "suppressed")


def _indicator_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for ind_id, res in data.get("indicators", {}).items():
        common = {"indicator": ind_id, "kind": res.get("kind"), "target": res.get("target")}
        rows.append({**common, "group": None, **{k: res.get(k) for k in CELL_KEYS}})
        if res.get("kind") in ("rubric", "themes"):
            continue
        for cell in res.get("by", []):
            group = ", ".join(f"{k}={v}" for k, v in cell["group"].items())
            rows.append({**common, "group": group, **{k: cell.get(k) for k in CELL_KEYS}})
    return rows


def _reason(value: Any) -> Any:
    return value.get("en") if isinstance(value, dict) else value


def result_frames(data: dict[str, Any]) -> dict[str, Any]:
    import pandas as pd

    def frame(rows: list[dict[str, Any]], columns: list[str]) -> Any:
        return pd.DataFrame(rows, columns=columns)

    sources = [
        {"source": name, **{k: v for k, v in rep.items() if k.startswith("rows_")}}
        for name, rep in data.get("data", {}).items()
    ]
    criteria = [
        {"criterion": cid, "dimension": c.get("dimension"), "verdict": c.get("verdict")}
        for cid, c in data.get("criteria", {}).items()
    ]
    effect_keys = [
        "design",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "p_value",
        "p_value_holm",
        "n",
        "n_treated",
        "n_control",
        "estimable",
    ]
    effects = [
        {"effect": eid, **{k: e.get(k) for k in effect_keys}, "reason": _reason(e.get("reason"))}
        for eid, e in data.get("effects", {}).items()
    ]
    cap_keys = ["n", "H", "A", "M0", "M0_ci", "n_identified", "n_tied"]
    capabilities = [
        {"capability": cid, "k": r.get("k_text", r.get("k")), **{k: r.get(k) for k in cap_keys}}
        for cid, cap in data.get("capabilities", {}).items()
        for r in (cap.get("results") or [])
        if isinstance(r, dict)
    ]
    vol = data.get("volunteering") or {}
    vol_keys = ["category", "persons", "hours", "fte", "rate", "value", "suppressed"]
    volunteering = [{k: c.get(k) for k in vol_keys} for c in vol.get("by_category", [])]
    sroi = data.get("sroi") or {}
    sroi_keys = ["gross_value", "net_value", "discounted_value", "share_of_present_value"]
    outcomes = [
        {"outcome": oid, **{k: o.get(k) for k in sroi_keys}}
        for oid, o in (sroi.get("by_outcome") or {}).items()
    ]
    return {
        "data": frame(
            sources,
            [
                "source",
                "rows_read",
                "rows_used",
                "rows_quarantined",
                "rows_filtered",
                "rows_unmatched",
            ],
        ),
        "indicators": frame(
            _indicator_rows(data), ["indicator", "kind", "target", "group", *CELL_KEYS]
        ),
        "criteria": frame(criteria, ["criterion", "dimension", "verdict"]),
        "effects": frame(effects, ["effect", *effect_keys, "reason"]),
        "capabilities": frame(capabilities, ["capability", "k", *cap_keys]),
        "volunteering": frame(volunteering, vol_keys),
        "sroi": frame(outcomes, ["outcome", *sroi_keys]),
    }


def summary_text(data: dict[str, Any]) -> str:
    fw = data["framework"]
    lines = [f"{fw['title']} ({fw['id']}), min_cell {fw['min_cell']}"]
    for name, rep in data.get("data", {}).items():
        lines.append(
            f"  data {name}: {rep['rows_read']} rows read, {rep['rows_used']} used, "
            f"{rep['rows_quarantined']} quarantined"
        )
    verdicts: dict[str, int] = {}
    for crit in data.get("criteria", {}).values():
        key = crit.get("verdict") or "none"
        verdicts[key] = verdicts.get(key, 0) + 1
    if verdicts:
        lines.append("  verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    for eid, eff in data.get("effects", {}).items():
        if eff.get("estimable"):
            lines.append(
                f"  effect {eid}: {eff['estimate']:.4g} "
                f"[{eff.get('ci_low') or float('nan'):.4g}, {eff.get('ci_high') or float('nan'):.4g}]"
            )
        else:
            lines.append(f"  effect {eid}: not estimable ({_reason(eff.get('reason'))})")
    sroi = data.get("sroi") or {}
    if sroi.get("estimable"):
        lines.append(f"  SROI ratio {sroi['ratio']:.2f}")
    return "\n".join(lines)
