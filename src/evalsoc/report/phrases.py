"""French words for the English method descriptions the computing code writes, and the
validation checks in the report's language (worded from the problem catalogue).

The measures describe their method in English (results.json is read by programs and
researchers); the French report must not show English sentences. Each phrase is a regular
expression with named groups: the French template reuses them. A phrase without a French
rule is left as it is and the report test that looks for English phrases catches it.
"""

from __future__ import annotations

import re

# (English pattern, French template). Order matters: the longest, most specific first.
METHOD_FR: list[tuple[str, str]] = [
    (
        r"Difference-in-differences by OLS \(programme group × after period\)",
        "Différence de différences par MCO (groupe du dispositif × période après)",
    ),
    (r"absorbing fixed effects of (?P<x>.+)", r"effets fixes absorbés : \g<x>"),
    (
        r"bias-corrected \(Abadie–Imbens 2011\) on (?P<x>.+)",
        r"correction du biais (Abadie–Imbens 2011) sur \g<x>",
    ),
    (
        r"Abadie–Imbens \(2006\) standard error, conditional variances from (?P<x>\d+) "
        r"neighbours, normal reference \(score treated as known\)",
        r"erreur type d'Abadie–Imbens (2006), variances conditionnelles estimées sur \g<x> "
        r"voisins, loi normale (score supposé connu)",
    ),
    (r"adjusted for (?P<x>.+)", r"ajusté sur \g<x>"),
    (
        r"heteroskedasticity-robust \(HC2\) standard errors",
        "erreurs types robustes à l'hétéroscédasticité (HC2)",
    ),
    (
        r"heteroskedasticity-robust \((?P<x>HC\d)\) standard errors",
        r"erreurs types robustes à l'hétéroscédasticité (\g<x>)",
    ),
    (r"classical \(homoskedastic\) standard errors", "erreurs types classiques (homoscédastiques)"),
    (r"classical standard errors", "erreurs types classiques"),
    (
        r"bias-reduced cluster-robust \(CR2, Bell–McCaffrey\) standard errors",
        "erreurs types robustes par grappe à biais réduit (CR2, Bell–McCaffrey)",
    ),
    (r"cluster-robust \(CR1\) standard errors", "erreurs types robustes par grappe (CR1)"),
    (
        r"cluster-robust standard errors by (?P<x>.+)",
        r"erreurs types robustes par grappe (\g<x>)",
    ),
    (
        r"cluster-robust sandwich standard errors by (?P<x>.+) \(stacked estimating equations\)",
        r"erreurs types sandwich robustes par grappe (\g<x>) (équations d'estimation empilées)",
    ),
    (
        r"robust sandwich standard errors \(stacked estimating equations, as Stata\)",
        "erreurs types sandwich robustes (équations d'estimation empilées, comme Stata)",
    ),
    (
        r"p-value and interval from a wild cluster bootstrap \((?P<r>\d+) replications, (?P<w>\w+) weights\)",
        r"p et intervalle par bootstrap sauvage par grappe (\g<r> réplications, poids \g<w>)",
    ),
    (
        r"Mean change after − before \(paired t-test\)",
        "Évolution moyenne après − avant (test t apparié)",
    ),
    (
        r"Mean change after − before \((?P<x>.+)\)",
        r"Évolution moyenne après − avant (\g<x>)",
    ),
    (
        r"a before/after comparison of the same units, not a counterfactual estimate: it also "
        r"counts changes that would have happened without the programme",
        "comparaison avant/après des mêmes personnes, pas une estimation contrefactuelle : elle "
        "compte aussi les changements qui auraient eu lieu sans le dispositif",
    ),
    (
        r"Regression-adjusted difference in means \(Lin 2013: centred covariates (?P<x>.*)",
        r"Différence de moyennes ajustée par régression (Lin 2013 : covariables centrées \g<x>",
    ),
    (
        r"Difference in mean outcomes between the two groups \(OLS\)",
        "Différence des moyennes entre les deux groupes (MCO)",
    ),
    (
        r"OLS regression (?P<f>.+), coefficient of (?P<t>.+)",
        r"Régression MCO \g<f>, coefficient de \g<t>",
    ),
    (r"linear outcome models on (?P<x>.+)", r"modèles linéaires du résultat sur \g<x>"),
    (r"(?P<m>\w+) propensity score on (?P<x>.+)", r"score de propension \g<m> sur \g<x>"),
    (
        r"no covariates \(unconditional parallel trends\)",
        "sans covariable (tendances parallèles inconditionnelles)",
    ),
    (
        r"analytic standard errors from influence functions clustered by (?P<x>.+)",
        r"erreurs types analytiques par fonctions d'influence, par grappe \g<x>",
    ),
    (
        r"Staggered difference-in-differences \(Callaway & Sant'Anna 2021\): group-time effects "
        r"ATT\(g,t\) against (?P<c>.+), (?P<b>\w+) base period",
        r"Différence de différences échelonnée (Callaway et Sant'Anna 2021) : effets par cohorte "
        r"et période ATT(g,t) contre \g<c>, période de base \g<b>",
    ),
    (r"never-treated units", "les unités jamais traitées"),
    (r"not-yet-treated units", "les unités pas encore traitées"),
]

_COMPILED: dict[int, list[tuple[re.Pattern[str], str]]] = {}


def _rules(table: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    key = id(table)
    if key not in _COMPILED:
        _COMPILED[key] = [(re.compile(rf"^{p}$"), fr) for p, fr in table]
    return _COMPILED[key]


def _translate_part(part: str, table: list[tuple[str, str]]) -> str:
    for pattern, template in _rules(table):
        match = pattern.match(part)
        if match:
            return match.expand(template)
    return part


def method_text(text: str | None, lang: str) -> str:
    """A method description (parts joined by '; ') in the report's language."""
    if not text:
        return ""
    if lang != "fr":
        return text
    return " ; ".join(_translate_part(p.strip(), METHOD_FR) for p in text.split(";"))


def check_text(check: str, lang: str) -> str:
    """A validation check ('age: max 80', 'x: missing value (not nullable)') in `lang`, worded
    from the problem catalogue (a check without a code is shown as written)."""
    from evalsoc.data.check_problems import check_problem

    whole = check_problem(check)  # a check name alone, e.g. 'type: number'
    if whole:
        return whole[lang]
    column, sep, rule = check.partition(": ")
    coded = check_problem(rule) if sep else None
    if coded is None:
        return check
    return f"{column} : {coded['fr']}" if lang == "fr" else f"{column}: {coded['en']}"
