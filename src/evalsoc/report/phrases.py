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
        r"Regression-adjusted difference in means \(Lin 2013: centred covariates interacted "
        r"with the group\) on (?P<x>.+)",
        r"Différence de moyennes ajustée par régression (Lin 2013 : covariables centrées, en "
        r"interaction avec le groupe) sur \g<x>",
    ),
    (
        r"Difference in the Atkinson \(ε = (?P<num_e>[\d.]+)\) index of (?P<x>.+) between the "
        r"two groups",
        r"Différence de l'indice d'Atkinson (ε = \g<num_e>) de \g<x> entre les deux groupes",
    ),
    (
        r"Difference in the (?P<i>Gini|Theil) index of (?P<x>.+) between the two groups",
        r"Différence de l'indice de \g<i> de \g<x> entre les deux groupes",
    ),
    (
        r"Difference-in-differences of the Atkinson \(ε = (?P<num_e>[\d.]+)\) index of (?P<x>.+) "
        r"\(programme group × after period\)",
        r"Différence de différences de l'indice d'Atkinson (ε = \g<num_e>) de \g<x> (groupe du "
        r"dispositif × période après)",
    ),
    (
        r"Difference-in-differences of the (?P<i>Gini|Theil) index of (?P<x>.+) \(programme "
        r"group × after period\)",
        r"Différence de différences de l'indice de \g<i> de \g<x> (groupe du dispositif × "
        r"période après)",
    ),
    (
        r"linearised standard errors \(influence functions, independent samples\), normal "
        r"reference",
        "erreurs types par linéarisation (fonctions d'influence, échantillons indépendants), loi "
        "normale",
    ),
    (
        r"bootstrap standard error resampling (?P<x>.+) \((?P<r>\d+) replications, seed "
        r"(?P<s>\S+)\), normal reference",
        r"erreur type par bootstrap rééchantillonnant \g<x> (\g<r> réplications, graine \g<s>), "
        r"loi normale",
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
        r"ATT\(g,t\) against (?P<sub_c>.+), (?P<w_b>\w+) base period",
        r"Différence de différences échelonnée (Callaway et Sant'Anna 2021) : effets par cohorte "
        r"et période ATT(g,t) contre \g<sub_c>, période de base \g<w_b>",
    ),
    (r"never-treated units", "les unités jamais traitées"),
    (r"not-yet-treated units", "les unités pas encore traitées"),
    (r"units never treated", "les unités jamais traitées"),
    (
        r"units not yet treated \(including never treated\)",
        "les unités pas encore traitées (y compris jamais traitées)",
    ),
    (
        r"overall effect = average of post-treatment ATT\(g,t\) weighted by cohort size",
        "effet global = moyenne des ATT(g,t) après traitement, pondérée par la taille des cohortes",
    ),
    (
        r"doubly robust adjustment for (?P<x>.+) \(logit propensity score and outcome regression "
        r"on base-period values; Sant'Anna & Zhao 2020, as R did's default\)",
        r"ajustement doublement robuste sur \g<x> (score de propension logit et régression du "
        r"résultat sur les valeurs de la période de base ; Sant'Anna et Zhao 2020, défaut du "
        r"paquet R did)",
    ),
    (
        r"outcome-regression adjustment for (?P<x>.+) \(base-period values; Sant'Anna & Zhao "
        r"2020\)",
        r"ajustement par régression du résultat sur \g<x> (valeurs de la période de base ; "
        r"Sant'Anna et Zhao 2020)",
    ),
    # matching (sections/effects/designs/matching.py)
    (r"(?P<sub_m>.+) \(MatchIt's conventions\)", r"\g<sub_m> (conventions de MatchIt)"),
    (
        r"Propensity-score nearest-neighbour matching",
        "Appariement au plus proche voisin sur le score de propension",
    ),
    (r"Exact matching", "Appariement exact"),
    (r"Coarsened exact matching", "Appariement exact sur variables regroupées (CEM)"),
    (r"effect on the treated", "effet sur les bénéficiaires"),
    (
        r"(?P<r>\d+):1, (?P<w_r>with|without) replacement, caliper (?P<num_c>\S+) SD of the score",
        r"\g<r>:1, \g<w_r> remise, caliper de \g<num_c> écart type du score",
    ),
    (r"(?P<r>\d+):1, (?P<w_r>with|without) replacement", r"\g<r>:1, \g<w_r> remise"),
    (r"exact on (?P<x>.+)", r"exact sur \g<x>"),
    (r"weighted difference in means", "différence de moyennes pondérée"),
    (r"(?P<sub_s>.+) \(score treated as known\)", r"\g<sub_s> (score supposé connu)"),
    (r"HC2 robust standard errors", "erreurs types robustes HC2"),
    (r"CR1 standard errors clustered by matched pair", "erreurs types CR1 par paire appariée"),
    # small-sample inference (sections/effects/inference.py, designs/difference.py)
    (
        r"(?P<sub_s>.+ standard errors), Welch's t with (?P<num_d>[\d.]+) degrees of freedom "
        r"\(unequal variances\)",
        r"\g<sub_s>, t de Welch à \g<num_d> degrés de liberté (variances inégales)",
    ),
    (
        r"(?P<sub_s>.+ standard errors), t with (?P<num_d>[\d.]+) Bell–McCaffrey "
        r"\(Satterthwaite\) degrees of freedom",
        r"\g<sub_s>, t à \g<num_d> degrés de liberté de Bell–McCaffrey (Satterthwaite)",
    ),
    (
        r"(?P<sub_s>.+ standard errors), t with G − 1 = (?P<num_d>[\d.]+) degrees of freedom",
        r"\g<sub_s>, t à G − 1 = \g<num_d> degrés de liberté",
    ),
    (
        r"heteroskedasticity-robust \(HC0, White\) standard errors",
        "erreurs types robustes à l'hétéroscédasticité (HC0, White)",
    ),
    (
        r"p-value and interval by randomisation inference, exact over the assignments of "
        r"(?P<w_u>\w+) \(interval: constant effects not rejected\)",
        r"p et intervalle par inférence de randomisation, exacte sur les assignations des "
        r"\g<w_u> (intervalle : effets constants non rejetés)",
    ),
    (
        r"p-value and interval by randomisation inference, Monte Carlo \((?P<n>\d+) draws\) "
        r"over the assignments of (?P<w_u>\w+) \(interval: constant effects not rejected\)",
        r"p et intervalle par inférence de randomisation, Monte Carlo (\g<n> tirages) sur les "
        r"assignations des \g<w_u> (intervalle : effets constants non rejetés)",
    ),
    # selection on observables (sections/effects/designs/selection.py)
    (
        r"Inverse probability weighting \(normalised weights\)",
        "Pondération par l'inverse de la probabilité (poids normalisés)",
    ),
    (
        r"Regression adjustment \(separate linear outcome models by group\)",
        "Ajustement par régression (modèles linéaires du résultat séparés par groupe)",
    ),
    (
        r"Augmented inverse probability weighting \(doubly robust\)",
        "Pondération augmentée par l'inverse de la probabilité (doublement robuste)",
    ),
    (
        r"Augmented inverse probability weighting with weighted outcome models "
        r"\(doubly robust\)",
        "Pondération augmentée par l'inverse de la probabilité avec modèles du résultat "
        "pondérés (doublement robuste)",
    ),
    (
        r"Inverse-probability-weighted regression adjustment \(doubly robust\)",
        "Ajustement par régression pondéré par l'inverse de la probabilité (doublement robuste)",
    ),
    (
        r"average effect in the whole sample \(ATE\)",
        "effet moyen sur l'ensemble de l'échantillon (ATE)",
    ),
    (r"average effect on the treated \(ATT\)", "effet moyen sur les bénéficiaires (ATT)"),
    (
        r"average effect in the overlap population \(ATO: overlap weights of Li, Morgan & "
        r"Zaslavsky 2018, 1 − p for the programme group and p for the comparison group\)",
        "effet moyen dans la population de recouvrement (ATO : poids de recouvrement de Li, "
        "Morgan et Zaslavsky 2018, 1 − p pour le groupe du dispositif et p pour le groupe de "
        "comparaison)",
    ),
    (
        r"AIPW has no ATT form, so the doubly robust IPWRA estimator is used",
        "l'AIPW n'a pas de forme ATT : l'estimateur doublement robuste IPWRA est utilisé",
    ),
    # instrumental variables (sections/effects/designs/iv.py)
    (
        r"(?P<w_m>Two-stage least squares|Limited-information maximum likelihood) "
        r"\(linearmodels\): (?P<x>.+) instrumented by (?P<z>.+)",
        r"\g<w_m> (linearmodels) : \g<x> instrumentée par \g<z>",
    ),
    (r"exogenous covariates (?P<x>.+)", r"covariables exogènes \g<x>"),
    (
        r"classical standard errors \(homoskedastic, n − k scaling\)",
        "erreurs types classiques (homoscédastiques, facteur n − k)",
    ),
    (
        r"heteroskedasticity-robust standard errors \(HC1: HC0 × n/\(n − k\)\)",
        "erreurs types robustes à l'hétéroscédasticité (HC1 : HC0 × n/(n − k))",
    ),
    (
        r"cluster-robust standard errors \(CR1\), t\(G − 1\)",
        "erreurs types robustes par grappe (CR1), t(G − 1)",
    ),
    (
        r"weak-instrument-robust Anderson–Rubin interval and effective first-stage F in "
        r"diagnostics",
        "intervalle d'Anderson–Rubin robuste aux instruments faibles et F effectif de première "
        "étape dans les diagnostics",
    ),
    # regression discontinuity (sections/effects/designs/rd.py)
    (
        r"(?P<w_k>Sharp|Fuzzy) regression discontinuity at (?P<v>.+) = (?P<num_c>\S+) "
        r"\(rdrobust\): local polynomial of order (?P<o>\d+), (?P<w_n>\w+) kernel",
        r"Régression sur discontinuité \g<w_k> en \g<v> = \g<num_c> (rdrobust) : polynôme local "
        r"d'ordre \g<o>, noyau \g<w_n>",
    ),
    (r"MSE-optimal bandwidth", "largeur de bande optimale (erreur quadratique moyenne)"),
    (r"bandwidth (?P<num_b>\S+)", r"largeur de bande \g<num_b>"),
    (
        r"conventional estimate with robust bias-corrected interval and p-value \(CCT 2014\)",
        "estimation conventionnelle, intervalle et p robustes corrigés du biais (CCT 2014)",
    ),
    (r"covariates (?P<x>.+)", r"covariables \g<x>"),
    (r"clustered by (?P<x>.+)", r"erreurs par grappe \g<x>"),
    (
        r"the programme applies below the cutoff \(jump read from above to below\)",
        "le dispositif s'applique sous le seuil (saut lu du dessus vers le dessous)",
    ),
    (
        r"rddensity \(Cattaneo, Jansson & Ma 2020\), jackknife standard errors",
        "rddensity (Cattaneo, Jansson et Ma 2020), erreurs types jackknife",
    ),
    # agreement between judges (sections/qualitative/agreement.py)
    (r"unit bootstrap, percentile interval", "bootstrap par unité, intervalle des percentiles"),
]

# Single words a rule's `w_` group captures (a closed list the code writes) → French.
WORDS_FR: dict[str, str] = {
    "varying": "variable",
    "universal": "universelle",
    "with": "avec",
    "without": "sans",
    "people": "personnes",
    "clusters": "grappes",
    "Two-stage least squares": "Doubles moindres carrés",
    "Limited-information maximum likelihood": "Maximum de vraisemblance à information limitée",
    "Sharp": "nette",
    "Fuzzy": "floue",
    "triangular": "triangulaire",
    "epanechnikov": "d'Epanechnikov",
    "uniform": "uniforme",
}

_COMPILED: dict[int, list[tuple[re.Pattern[str], str]]] = {}


def _rules(table: list[tuple[str, str]]) -> list[tuple[re.Pattern[str], str]]:
    key = id(table)
    if key not in _COMPILED:
        _COMPILED[key] = [(re.compile(rf"^{p}$"), fr) for p, fr in table]
    return _COMPILED[key]


def _group_fr(name: str, value: str | None, table: list[tuple[str, str]]) -> str:
    """A captured group in French: `sub_` is a phrase translated by the table again, `w_` a
    word of WORDS_FR, `num_` a decimal number (decimal comma); others (names) as captured."""
    if value is None:
        return ""
    if name.startswith("sub_"):
        return _translate_part(value, table)
    if name.startswith("w_"):
        return WORDS_FR.get(value, value)
    if name.startswith("num_"):
        return value.replace(".", ",")
    return value


def _translate_part(part: str, table: list[tuple[str, str]]) -> str:
    for pattern, template in _rules(table):
        match = pattern.match(part)
        if match:
            groups = {k: _group_fr(k, v, table) for k, v in match.groupdict().items()}
            return re.sub(r"\\g<(\w+)>", lambda g, groups=groups: groups[g.group(1)], template)
    return part


def _parts(text: str) -> list[str]:
    """The '; '-separated parts of a method, leaving a ';' inside parentheses in its part."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == ";" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def method_text(text: str | dict[str, str] | None, lang: str) -> str:
    """A method description (parts joined by '; ') in the report's language; a design may give
    it in both languages (`{fr, en}`), shown as given."""
    if not text:
        return ""
    if isinstance(text, dict):
        return text[lang]
    if lang != "fr":
        return text
    return " ; ".join(_translate_part(p, METHOD_FR) for p in _parts(text))


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
    if lang != "fr":
        return f"{column}: {coded['en']}"
    return f"{'jointure' if column == 'join' else column} : {coded['fr']}"
