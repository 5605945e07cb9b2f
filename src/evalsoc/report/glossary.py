"""The glossary: every statistical term the report uses, in plain words, linked from its
first use in the text.

A term enters the glossary only when the rendered report contains it; its first occurrence
outside headings, charts and links becomes a link to its entry.
"""

from __future__ import annotations

import functools
import re

from markupsafe import escape

# code → {lang: (how the term is written in the report, plain explanation)}
TERMS: dict[str, dict[str, tuple[str, str]]] = {
    "ci": {
        "fr": (
            "IC 95 %",
            "Intervalle de confiance à 95 % : la fourchette dans laquelle la vraie valeur se "
            "trouve très probablement, compte tenu de la taille de l'échantillon.",
        ),
        "en": (
            "95% CI",
            "95% confidence interval: the range that very probably contains the true value, "
            "given the size of the sample.",
        ),
    },
    "krippendorff": {
        "fr": (
            "α de Krippendorff",
            "Mesure de l'accord entre évaluateurs, de 0 (accord dû au hasard) à 1 (accord "
            "parfait) ; au-dessus de 0,667 l'accord est jugé acceptable.",
        ),
        "en": (
            "Krippendorff's α",
            "How much raters agree, from 0 (chance agreement) to 1 (perfect agreement); above "
            "0.667 the agreement is usually judged acceptable.",
        ),
    },
    "cliff": {
        "fr": (
            "delta de Cliff",
            "Taille d'un écart entre deux groupes de réponses ordonnées, de −1 à 1 : la "
            "probabilité qu'une réponse d'un groupe dépasse une réponse de l'autre, moins "
            "l'inverse.",
        ),
        "en": (
            "Cliff's delta",
            "Size of a gap between two groups of ordered answers, from −1 to 1: the chance that "
            "an answer of one group beats one of the other, minus the reverse.",
        ),
    },
    "cohen": {
        "fr": (
            "d de Cohen",
            "Taille d'un effet exprimée en écarts-types : 0,2 est petit, 0,5 moyen, 0,8 grand.",
        ),
        "en": (
            "Cohen's d",
            "Size of an effect in standard deviations: 0.2 is small, 0.5 medium, 0.8 large.",
        ),
    },
    "holm": {
        "fr": (
            "p ajusté (Holm)",
            "Probabilité d'observer un tel écart par hasard, corrigée parce que plusieurs "
            "effets sont testés en même temps (méthode de Holm).",
        ),
        "en": (
            "Holm-adjusted p",
            "The chance of seeing such a gap by luck alone, corrected because several effects "
            "are tested at once (Holm's method).",
        ),
    },
    "mde": {
        "fr": (
            "Effet minimal détectable",
            "Le plus petit effet que l'étude pouvait repérer de façon fiable (80 % de chances) "
            "avec ses effectifs, dans l'unité du résultat mesuré.",
        ),
        "en": (
            "Minimum detectable effect",
            "The smallest effect the study could reliably detect (80% chance) with its sample "
            "sizes, in the unit of the outcome measured.",
        ),
    },
    "did": {
        "fr": (
            "Différence de différences",
            "Compare l'évolution des personnes accompagnées à celle d'un groupe de comparaison "
            "sur la même période : l'écart entre les deux évolutions estime l'effet du "
            "dispositif.",
        ),
        "en": (
            "Difference-in-differences",
            "Compares how the people served changed with how a comparison group changed over "
            "the same period: the gap between the two changes estimates the programme's effect.",
        ),
    },
    "m0": {
        "fr": (
            "M0",
            "Indice de privation ajusté (méthode Alkire-Foster) : la part des personnes en "
            "privation (H) multipliée par l'intensité moyenne de leur privation (A).",
        ),
        "en": (
            "M0",
            "Adjusted deprivation index (Alkire-Foster method): the share of people deprived "
            "(H) times the average intensity of their deprivation (A).",
        ),
    },
    "k": {
        "fr": (
            "Seuil k",
            "Part minimale des dimensions où une personne est en privation pour être comptée "
            "comme privée de pouvoir d'agir.",
        ),
        "en": (
            "Cutoff k",
            "The minimum share of dimensions in which a person is deprived for them to be "
            "counted as deprived.",
        ),
    },
    "sroi": {
        "fr": (
            "SROI",
            "Retour social sur investissement : la valeur sociale créée, exprimée en euros, "
            "pour chaque euro investi. Elle repose sur des valeurs de référence (proxys) "
            "discutables.",
        ),
        "en": (
            "SROI",
            "Social return on investment: the social value created, in money, for each unit "
            "of money invested. It rests on reference values (proxies) that can be debated.",
        ),
    },
    "deadweight": {
        "fr": (
            "Effet d'aubaine",
            "Part du changement qui se serait produite de toute façon, sans le dispositif.",
        ),
        "en": ("Deadweight", "The part of the change that would have happened anyway."),
    },
    "monte_carlo": {
        "fr": (
            "Monte Carlo",
            "Simulation répétée des milliers de fois en tirant les hypothèses incertaines dans "
            "leurs fourchettes, pour voir l'étendue des résultats possibles.",
        ),
        "en": (
            "Monte Carlo",
            "A simulation repeated thousands of times, drawing the uncertain assumptions from "
            "their ranges, to see the spread of possible results.",
        ),
    },
    "median": {
        "fr": ("médiane", "La valeur du milieu : la moitié des personnes est au-dessus."),
        "en": ("median", "The middle value: half of the people are above it."),
    },
}

_SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "svg", "title", "style", "summary", "th"}


@functools.lru_cache(maxsize=4)
def _term_patterns(lang: str) -> dict[str, re.Pattern[str]]:
    """Each term's whole-word pattern (escaped as it appears in the HTML), and "*": any term."""
    words = {
        code: rf"(?<![\w-]){re.escape(str(escape(entry[lang][0])))}(?![\w-])"
        for code, entry in TERMS.items()
        if lang in entry
    }
    patterns = {code: re.compile(word) for code, word in words.items()}
    patterns["*"] = re.compile("|".join(f"(?:{word})" for word in words.values()))
    return patterns


def link_terms(html: str, lang: str) -> tuple[str, list[str]]:
    """Link each term's first use in the body text to the glossary; the codes used, in order."""
    tokens = re.split(r"(<[^>]+>)", html)
    patterns = _term_patterns(lang)
    pending = {code: True for code in patterns if code != "*"}
    found: list[str] = []
    depth: dict[str, int] = {}
    in_body = False
    for i, token in enumerate(tokens):
        if token.startswith("<"):
            m = re.match(r"<(/?)([a-zA-Z0-9]+)", token)
            if m:
                name = m[2].lower()
                if name == "body":
                    in_body = not m[1]
                elif name in _SKIP and not token.endswith("/>"):
                    depth[name] = depth.get(name, 0) + (-1 if m[1] else 1)
            continue
        if not in_body or any(v > 0 for v in depth.values()) or not token.strip():
            continue
        if not pending or not patterns["*"].search(token):
            continue  # most text holds no term: one combined search instead of one per term
        spans = []
        for code in list(pending):
            match = patterns[code].search(token)
            if match and not any(a < match.end() and match.start() < b for a, b, _ in spans):
                spans.append((match.start(), match.end(), code))
                del pending[code]
                found.append(code)
        for start, end, code in sorted(spans, reverse=True):
            token = (
                token[:start]
                + f'<a class="term" href="#g-{code}">{token[start:end]}</a>'
                + token[end:]
            )
        tokens[i] = token
    return "".join(tokens), found


def glossary_html(codes: list[str], lang: str, title: str, intro: str) -> str:
    """The glossary section: the terms used, alphabetically."""
    entries = sorted((TERMS[c][lang][0].lower(), c) for c in codes)
    rows = "".join(
        f'<dt id="g-{c}">{escape(TERMS[c][lang][0])}</dt><dd>{escape(TERMS[c][lang][1])}</dd>'
        for _, c in entries
    )
    return (
        f'<section id="glossary" class="page-break"><h2>{escape(title)}</h2>'
        f'<p class="muted">{escape(intro)}</p><dl class="glossary">{rows}</dl></section>'
    )
