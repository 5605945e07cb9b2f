"""Report fragment of stakeholders' judgements: rubric distributions per role, agreement, themes.

Free-text evidence and excerpts are printed only when the framework says
`report.publish_quotes: true`, and then only quotes of the rated criterion, escaped, with the
level (and the stakeholder group when its cell is shown) but never the rater.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import escape as _markup_escape

from evalsoc.framework.base import label_text
from evalsoc.privacy.cells import reason_text
from evalsoc.sections.qualitative.render_words import TEXT
from evalsoc.text.format import fmt_number, fmt_percent


def escape(value: Any) -> str:
    """HTML-escaped text as a plain str (a Markup would re-escape what it is added to)."""
    return str(_markup_escape(value))


def render(section_results: dict[str, Any], framework: Any, lang: str) -> str:
    """The rubric and themes indicators of `results["indicators"]`, in framework order."""
    text = TEXT.get(lang, TEXT["en"])
    parts: list[str] = []
    for _dim, crit, ind in framework.all_indicators():
        res = (section_results or {}).get(ind.id)
        if not isinstance(res, dict) or res.get("kind") not in ("rubric", "themes"):
            continue
        if res.get("status") == "not_computed":
            continue
        title = f"{label_text(crit.label, lang, crit.id)} — {label_text(ind.label, lang, ind.id)}"
        parts.append(f'<h3 id="utility-{escape(ind.id)}">{escape(title)}</h3>')
        build = _rubric if res["kind"] == "rubric" else _themes
        parts.append(build(res, crit.id, framework, lang, text, _role_namer(ind, framework, lang)))
    if not parts:
        return ""
    return (
        f'<section class="utility"><h2>{escape(text["title"])}</h2>'
        + "\n".join(parts)
        + "</section>"
    )


def _role_namer(ind: Any, framework: Any, lang: str) -> Callable[[str], str]:
    """A group's label from its role column's `labels:` (the code when it has none)."""
    from evalsoc.report.words import value_label

    spec = ind.rubric or ind.themes
    column = getattr(spec, "role", None)
    if not column:
        return str
    source = getattr(spec, "data", None) or getattr(ind, "data", None)
    return lambda role: value_label(framework, column, role, lang, source)


def _level_label(res: dict[str, Any], level: str | None, lang: str) -> str:
    for item in res.get("scale", []):
        if item["id"] == level:
            return (item.get("label") or {}).get(lang) or level
    return level or "—"


def _rubric(
    res: dict[str, Any],
    crit_id: str,
    framework: Any,
    lang: str,
    text: dict[str, str],
    role_name: Callable[[str], str] = str,
) -> str:
    min_cell = framework.privacy.min_cell
    out: list[str] = []
    if res.get("suppressed"):
        out.append(
            f'<p class="suppressed">{escape(text["whole_suppressed"].format(reason=reason_text(res.get("reason"), lang)))}</p>'
        )
    else:
        share = fmt_percent(res.get("share_at_or_above"), lang)
        ci = ""
        if res.get("ci_low") is not None:
            sep = " à " if lang == "fr" else " to "
            ci = f" ({fmt_percent(res['ci_low'], lang)}{sep}{fmt_percent(res['ci_high'], lang)})"
        out.append(
            "<p>"
            + escape(text["median"])
            + " : <strong>"
            + escape(_level_label(res, res.get("median_level"), lang))
            + "</strong> · "
            + escape(text["share"].format(level=_level_label(res, res.get("threshold"), lang)))
            + f' : <strong>{escape(share)}</strong>{escape(ci)}<br><span class="muted">'
            + escape(
                text[
                    "judgements" if res.get("n_raters") is not None else "judgements_hidden_raters"
                ].format(
                    n=res.get("n_rated"),
                    raters=res.get("n_raters"),
                    insufficient=(
                        text["insufficient_hidden"]
                        if res.get("n_insufficient") is None
                        else text["insufficient"].format(k=res["n_insufficient"])
                    ),
                )
            )
            + "</span></p>"
        )
        out.append(_chart(res, lang, text, role_name))
        out.append(_role_table(res, lang, text, min_cell, role_name))
        if res.get("disagreement") and res.get("roles_disagree_most"):
            top = res["disagreement"][0]
            out.append(
                "<p>"
                + escape(
                    text["disagree"].format(
                        a=role_name(top["roles"][0]),
                        b=role_name(top["roles"][1]),
                        ma=_level_label(res, top["median_levels"][0], lang),
                        mb=_level_label(res, top["median_levels"][1], lang),
                        delta=fmt_number(top["cliffs_delta"], lang, 2),
                    )
                )
                + "</p>"
            )
    served = res.get("people_served") or {}
    if served.get("suppressed"):
        out.append(f'<p class="muted">{escape(text["served_suppressed"].format(min=min_cell))}</p>')
    elif served.get("n_raters") is not None:
        out.append(
            "<p>"
            + escape(
                text["served"].format(
                    n=served["n_raters"], share=fmt_percent(served.get("share_of_judgements"), lang)
                )
            )
            + "</p>"
        )
    else:
        out.append(f'<p class="muted">{escape(text["served_missing"])}</p>')
    out.append(_agreement(res.get("agreement") or {}, lang, text))
    out.append(
        _quotes(res.get("evidence") or [], res, crit_id, framework, lang, text, "level", role_name)
    )
    return "\n".join(part for part in out if part)


def _agreement(agr: dict[str, Any], lang: str, text: dict[str, str]) -> str:
    if agr.get("alpha") is None:
        reason = reason_text(agr.get("reason"), lang) or "—"
        return f'<p class="muted">{escape(text["alpha_none"].format(reason=reason))}</p>'
    scope = text["scope_source"] if agr.get("scope") == "source" else text["scope_rows"]
    values = {
        "alpha": fmt_number(agr["alpha"], lang, 3),
        "units": agr.get("n_units"),
        "scope": scope,
    }
    if agr.get("ci_low") is not None:
        line = text["alpha"].format(
            low=fmt_number(agr["ci_low"], lang, 3),
            high=fmt_number(agr["ci_high"], lang, 3),
            **values,
        )
    else:
        line = text["alpha_no_ci"].format(**values)
    if agr.get("ci_low") is not None and (agr.get("n_units") or 0) < 10:
        line += " " + text["rough"]
    html = f"<p>{escape(line)}</p>"
    if agr.get("below_min"):
        minimum = fmt_number(agr.get("min_alpha"), lang, 3)
        html += f'<p class="warning">{escape(text["alpha_weak"].format(min=minimum))}</p>'
    return html


def _role_table(
    res: dict[str, Any],
    lang: str,
    text: dict[str, str],
    min_cell: int,
    role_name: Callable[[str], str] = str,
) -> str:
    scale = [item["id"] for item in res.get("scale", [])]
    head = "".join(f"<th>{escape(_level_label(res, lvl, lang))}</th>" for lvl in scale)
    rows = [_share_row(text["overall"], res.get("n_raters"), res, res, scale, lang)]
    for role, cell in sorted((res.get("by_role") or {}).items()):
        if cell.get("suppressed"):
            rows.append(
                f'<tr><td>{escape(role_name(role))}</td><td class="suppressed" colspan="{len(scale) + 2}">'
                f"{escape(text['suppressed'].format(min=min_cell))}</td></tr>"
            )
        else:
            rows.append(_share_row(role_name(role), cell.get("n_raters"), cell, res, scale, lang))
    return (
        f'<table class="data"><thead><tr><th>{escape(text["role"])}</th>'
        f"<th>{escape(text['raters'])}</th>{head}<th>{escape(text['median'])}</th></tr>"
        f"</thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _share_row(
    name: str, n_raters: Any, cell: dict[str, Any], res: dict[str, Any], scale: list[str], lang: str
) -> str:
    shares = cell.get("shares") or {}
    counts = cell.get("counts") or {}
    tds = "".join(
        f'<td class="num">{escape(fmt_percent(shares.get(lvl), lang, 0))} '
        f'<span class="muted">({escape(str(_or_dash(counts.get(lvl))))})</span></td>'
        for lvl in scale
    )
    n_text = "—" if n_raters is None else fmt_number(n_raters, lang, 0)
    median = _level_label(res, cell.get("median_level"), lang)
    return (
        f'<tr><td>{escape(name)}</td><td class="num">{escape(n_text)}</td>{tds}'
        f"<td>{escape(median)}</td></tr>"
    )


def _chart(
    res: dict[str, Any], lang: str, text: dict[str, str], role_name: Callable[[str], str] = str
) -> str:
    """Stacked horizontal bars of level shares, overall and per shown group."""
    import numpy as np

    from evalsoc.report.charts import figure_to_svg, new_figure

    scale = res.get("scale") or []
    rows = [(text["overall"], res.get("shares") or {})]
    rows += [
        (role_name(role), cell.get("shares") or {})
        for role, cell in sorted((res.get("by_role") or {}).items())
        if not cell.get("suppressed")
    ]
    if not scale or all(not any(v for v in shares.values() if v) for _, shares in rows):
        return ""
    fig, ax = new_figure(6.5, 0.45 * len(rows) + 0.9)
    import matplotlib

    colours = matplotlib.colormaps["RdYlBu"](np.linspace(0.1, 0.9, len(scale)))
    left = np.zeros(len(rows))
    positions = np.arange(len(rows))[::-1]
    for i, item in enumerate(scale):
        widths = np.array([(shares.get(item["id"]) or 0.0) for _, shares in rows])
        ax.barh(
            positions,
            widths,
            left=left,
            color=colours[i],
            edgecolor="white",
            label=(item.get("label") or {}).get(lang) or item["id"],
        )
        left += widths
    ax.set_yticks(positions)
    ax.set_yticklabels([name for name, _ in rows])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(
        matplotlib.ticker.FuncFormatter(lambda x, _: fmt_percent(x, lang, 0))
    )
    ax.legend(
        ncols=len(scale), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False, fontsize=8
    )
    ax.spines[["top", "right"]].set_visible(False)
    return figure_to_svg(fig, text["chart"])


def _quotes(
    quotes: list[dict[str, Any]],
    res: dict[str, Any],
    crit_id: str,
    framework: Any,
    lang: str,
    text: dict[str, str],
    key: str,
    role_name: Callable[[str], str] = str,
) -> str:
    """Quotes of the rated criterion only, escaped, without the rater; only if published."""
    if not quotes:
        return ""
    if not framework.report.publish_quotes:
        return f'<p class="muted">{escape(text["quotes_hidden"])}</p>'
    rated = res.get("rated_criteria") or []
    own = {crit_id} | ({rated[0]} if len(rated) == 1 else set())
    kept = [q for q in quotes if q.get("criterion") is None or q.get("criterion") in own]
    if not kept:
        return ""
    first = text["level"] if key == "level" else text["code"]
    codes = {c["id"]: (c.get("label") or {}).get(lang) or c["id"] for c in res.get("codes", [])}

    def name(q: dict[str, Any]) -> str:
        value = q.get(key)
        return _level_label(res, value, lang) if key == "level" else codes.get(value, value)

    rows = "".join(
        f"<tr><td>{escape(name(q))}"
        f"{' · ' + str(escape(role_name(q['role']))) if q.get('role') else ''}</td>"
        f"<td>« {escape(q.get('text') or '')} »</td></tr>"
        for q in kept
    )
    return (
        f"<details><summary>{escape(text['quotes'])} ({len(kept)})</summary>"
        f'<table class="data"><thead><tr><th>{escape(first)}</th>'
        f"<th>{escape(text['quote'])}</th></tr></thead><tbody>{rows}</tbody></table>"
        "</details>"
    )


def _themes(
    res: dict[str, Any],
    crit_id: str,
    framework: Any,
    lang: str,
    text: dict[str, str],
    role_name: Callable[[str], str] = str,
) -> str:
    min_cell = framework.privacy.min_cell
    if res.get("suppressed"):
        body = f'<p class="suppressed">{escape(text["whole_suppressed"].format(reason=reason_text(res.get("reason"), lang)))}</p>'
        return body + _quotes(
            res.get("excerpts") or [], res, crit_id, framework, lang, text, "code", role_name
        )
    labels = {c["id"]: (c.get("label") or {}).get(lang) or c["id"] for c in res.get("codes", [])}
    freq = res.get("frequency") or {}
    order = sorted(freq, key=lambda c: (-freq[c]["n_sources"], c))
    hidden_codes = [c for c in res.get("suppressed_codes") or [] if c not in freq]
    hidden_cell = f'<td class="num suppressed">{escape(text["cell_hidden"])}</td>'

    def count(value: Any) -> str:
        return hidden_cell if value is None else f'<td class="num">{escape(value)}</td>'

    out = [
        f'<p class="muted">{escape(text["n_sources"].format(n=res.get("n_sources"), segments=res.get("n_segments")))}</p>'
    ]
    rows = "".join(
        f'<tr><td>{escape(labels.get(c, c))}</td><td class="num">{freq[c]["n_sources"]}</td>'
        f'<td class="num">{escape(fmt_percent(freq[c]["share_of_sources"], lang))}</td>'
        f'<td class="num">{freq[c]["n_segments"]}</td></tr>'
        for c in order
    ) + "".join(
        f'<tr><td>{escape(labels.get(c, c))}</td><td class="suppressed" colspan="3">'
        f"{escape(text['suppressed_sources'].format(min=min_cell))}</td></tr>"
        for c in hidden_codes
    )
    out.append(
        f'<table class="data"><thead><tr><th>{escape(text["code"])}</th>'
        f"<th>{escape(text['sources'])}</th><th>{escape(text['share_sources'])}</th>"
        f"<th>{escape(text['segments'])}</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    any_hidden = bool(hidden_codes)
    by_role = res.get("by_role") or {}
    if by_role and order:
        head = "".join(f"<th>{escape(labels.get(c, c))}</th>" for c in order)
        body = []
        for role, cell in sorted(by_role.items()):
            if cell.get("suppressed"):
                any_hidden = True
                body.append(
                    f'<tr><td>{escape(role_name(role))}</td><td class="suppressed" '
                    f'colspan="{len(order)}">'
                    f"{escape(text['suppressed_sources'].format(min=min_cell))}</td></tr>"
                )
            else:
                values = [(cell.get("codes") or {}).get(c) for c in order]
                any_hidden = any_hidden or any(v is None for v in values)
                body.append(
                    f"<tr><td>{escape(role_name(role))} "
                    f'<span class="muted">({escape(cell["n_sources"])})</span></td>'
                    + "".join(count(v) for v in values)
                    + "</tr>"
                )
        out.append(
            f'<p>{escape(text["by_role"])}</p><table class="data"><thead><tr>'
            f"<th>{escape(text['role'])}</th>{head}</tr></thead><tbody>"
            f"{''.join(body)}</tbody></table>"
        )
    co = res.get("cooccurrence")
    if co and len(co.get("codes", [])) > 1:
        codes = co["codes"]
        head = "".join(f"<th>{escape(labels.get(c, c))}</th>" for c in codes)
        any_hidden = any_hidden or any(v is None for row in co["n_sources"] for v in row)
        body = "".join(
            f"<tr><th>{escape(labels.get(a, a))}</th>"
            + "".join(
                '<td class="num"></td>' if i == j else count(co["n_sources"][i][j])
                for j in range(len(codes))
            )
            + "</tr>"
            for i, a in enumerate(codes)
        )
        out.append(
            f"<details><summary>{escape(text['cooccurrence'])}</summary>"
            f'<table class="data"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></details>"
        )
    if any_hidden:
        out.append(f'<p class="muted">{escape(text["cells_hidden_note"].format(min=min_cell))}</p>')
    out.append(
        _quotes(res.get("excerpts") or [], res, crit_id, framework, lang, text, "code", role_name)
    )
    return "\n".join(part for part in out if part)


def _or_dash(value: Any) -> Any:
    """A count, or a dash where it is absent or suppressed."""
    return "—" if value is None else value
