"""One catalogue of coded problems, worded in French and English.

A problem (a statistic that cannot be estimated, a failed data check) is a stable `code` plus
parameters; the wording lives here once, in both languages, so results.json carries
`{code, fr, en}` and each report shows its own language without translating English text
(the frictionless-py pattern: a problem type with a title and a message template).
Parameters are formatted with `str.format`; callers pass names already quoted as they want
them shown (e.g. `repr(column)`); a parameter that is itself words is `{"fr": ..., "en": ...}`.

Why one module: it is a catalogue (data, not logic): one place for every wording, in both
languages, so that a code is never worded twice.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from evalsoc.error_catalogue import ERRORS

# code → (title, French template, English template). Both templates use the same placeholders.
CATALOGUE: dict[str, tuple[str, str, str]] = {
    # --- sroi: why there is no ratio, payback or simulation ------------------------------------
    "sroi_nothing_monetised": (
        "no monetised outcome",
        "aucun effet n'est valorisé : il n'y a donc pas de ratio (voir les effets non valorisés)",
        "no outcome is monetised, so there is no ratio: see the non-monetised outcomes",
    ),
    "sroi_inputs_zero": (
        "no inputs",
        "les ressources engagées totalisent 0 : il n'y a donc pas de ratio",
        "the inputs total 0, so there is no ratio",
    ),
    "sroi_no_payback": (
        "no payback",
        "la valeur actualisée ne couvre pas les ressources engagées pendant la durée des effets",
        "the discounted value does not cover the inputs within the outcomes' duration",
    ),
    "sroi_monte_carlo_off": (
        "Monte Carlo switched off",
        "désactivée (monte_carlo.draws : 0)",
        "switched off (monte_carlo.draws: 0)",
    ),
    "sroi_sensitivity_failed": (
        "numerical failure",
        "l'analyse de sensibilité a échoué numériquement ({error})",
        "the sensitivity analysis failed numerically: {error}",
    ),
    "sroi_monte_carlo_failed": (
        "numerical failure",
        "la simulation de Monte Carlo a échoué numériquement ({error})",
        "the Monte Carlo simulation failed numerically: {error}",
    ),
    # --- sroi, capabilities, compare: switching values, parity, pooled and compared figures --
    "sroi_switch_no_effect": (
        "no switching value",
        "le ratio ne dépend pas de ce paramètre ({parameter}) : il reste à {ratio}",
        "the ratio does not depend on {parameter} (it stays at {ratio})",
    ),
    "sroi_switch_no_effect_in_range": (
        "no switching value",
        "le ratio ne dépend pas de ce paramètre ({parameter})",
        "the ratio does not depend on {parameter}",
    ),
    "sroi_switch_opposite_sign": (
        "no switching value",
        "le ratio n'atteindrait 1 qu'avec une valeur de signe opposé ({parameter}) ; à 0, il "
        "vaut {ratio}, {side} 1",
        "the ratio would reach 1 only with a {parameter} of the opposite sign; at {parameter} = 0 "
        "it is {ratio}, {side} 1",
    ),
    "sroi_switch_stays": (
        "no switching value",
        "le ratio reste {side} 1 pour toute valeur de ce paramètre ({parameter}) de {low} à "
        "{high} (de {ratio_low} à {ratio_high})",
        "the ratio stays {side} 1 for every {parameter} from {low} to {high} "
        "(from {ratio_low} to {ratio_high})",
    ),
    "capability_parity_group_absent": (
        "parity group absent",
        "personne n'a {by} = {values} dans ces données (vérifier les noms de groupes sous "
        "parity.groups)",
        "no one has {by} = {values} in these data (check the group names under parity.groups)",
    ),
    # --- capabilities on an engine: why a set's rows were collected (in_engine.py) ----------
    "capability_rows_collected_engine": (
        "rows collected",
        "les lignes de cet ensemble ont été chargées en mémoire et notées avec pandas : ce "
        "moteur ne calcule pas encore les cellules des capabilités",
        "this set's rows were loaded into memory and scored with pandas: this engine does not "
        "compute capability cells yet",
    ),
    "capability_rows_collected_effect": (
        "rows collected",
        "les lignes de cet ensemble ont été chargées en mémoire et notées avec pandas : un "
        "effet lit le score de chaque personne (capability.<id>.…)",
        "this set's rows were loaded into memory and scored with pandas: an effect reads each "
        "person's score (capability.<id>.…)",
    ),
    "capability_rows_collected_bootstrap": (
        "rows collected",
        "les lignes de cet ensemble ont été chargées en mémoire et notées avec pandas : le "
        "bootstrap sans grappes sépare les personnes selon leur poids de sondage",
        "this set's rows were loaded into memory and scored with pandas: the bootstrap "
        "without clusters keeps persons apart by their sampling weight",
    ),
    "capability_rows_collected_sql": (
        "rows collected",
        "les lignes de cet ensemble ont été chargées en mémoire et notées avec pandas : une "
        "déclaration (filtre, item sans échelle déclarée, colonne sans type) ne se traduit "
        "pas en SQL avec le même sens",
        "this set's rows were loaded into memory and scored with pandas: a declaration (a "
        "filter, an item without a declared scale, an untyped column) has no SQL reading "
        "with the same meaning",
    ),
    "capability_rows_collected_decimal": (
        "rows collected",
        "les lignes de cet ensemble ont été chargées en mémoire et notées avec pandas : un "
        "poids de sondage, ou la somme des poids d'une cellule, dépasse 10^20, au-delà de la "
        "somme exacte en DECIMAL(38, 18) de Spark",
        "this set's rows were loaded into memory and scored with pandas: a sampling weight, "
        "or a cell's sum of weights, exceeds 10^20, beyond Spark's exact DECIMAL(38, 18) sum",
    ),
    # --- effects on an engine: why an effect's rows were collected (effects/did_in_engine.py) --
    "effect_rows_collected_engine": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : ce moteur ne calcule pas "
        "encore les sommes par cellule d'une double différence",
        "this effect's columns were loaded into memory: this engine does not compute a "
        "difference-in-differences' cell sums yet",
    ),
    "effect_rows_collected_design": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : seule la double différence "
        "2×2 (avec ou sans covariables) se calcule à partir de sommes dans le moteur",
        "this effect's columns were loaded into memory: only the 2×2 difference-in-differences "
        "(with or without covariates) is computed from sums in the engine",
    ),
    "effect_rows_collected_options": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : ses unités, périodes, poids, "
        "statistique d'inégalité ou erreurs types (CR2, bootstrap) demandent les lignes",
        "this effect's columns were loaded into memory: its units, periods, weights, "
        "inequality statistic or standard errors (CR2, bootstrap) need the rows",
    ),
    "effect_rows_collected_fixed_effects": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : au plus deux effets fixes "
        "(deux colonnes) se calculent à partir de sommes dans le moteur",
        "this effect's columns were loaded into memory: at most two fixed effects (two "
        "columns) are computed from sums in the engine",
    ),
    "effect_rows_collected_groups": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : ses catégories de "
        "covariables, effets fixes et groupes donnent plus de {dummies} indicatrices ou plus "
        "de {groups} groupes de lignes à sommer dans le moteur",
        "this effect's columns were loaded into memory: its covariates' categories, fixed "
        "effects and clusters make more than {dummies} dummy columns or more than {groups} "
        "groups of rows to sum in the engine",
    ),
    "effect_rows_collected_absorbed": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : une covariable numérique est "
        "(presque) constante dans chaque niveau de l'effet fixe, et seules les lignes disent "
        "si l'effet fixe l'absorbe",
        "this effect's columns were loaded into memory: a numeric covariate is (nearly) "
        "constant within each level of the fixed effect, and only the rows tell whether the "
        "fixed effect absorbs it",
    ),
    "effect_rows_collected_outcome": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : son résultat est un score "
        "de capabilités calculé par personne, pas une colonne des données",
        "this effect's columns were loaded into memory: its outcome is a capability score "
        "computed per person, not a column of the data",
    ),
    "effect_rows_collected_sql": (
        "rows collected",
        "les colonnes de cet effet ont été chargées en mémoire : une condition ou une colonne "
        "(groupe, période, filtre, colonne sans type ou absente) ne se lit pas en SQL avec le "
        "même sens",
        "this effect's columns were loaded into memory: a condition or a column (group, "
        "period, filter, an untyped or absent column) has no SQL reading with the same meaning",
    ),
    "compare_definition_changed": (
        "definition changed",
        "la définition de l'indicateur a changé entre ces périodes : les valeurs mesurent des "
        "choses différentes et ne sont pas comparées",
        "the indicator's definition changed between these periods: the values measure "
        "different things and are not compared",
    ),
    "compare_value_suppressed": (
        "value suppressed",
        "la valeur {which} est masquée (confidentialité)",
        "the {which} value is suppressed (privacy)",
    ),
    "compare_value_not_computed": (
        "value not computed",
        "la valeur {which} n'a pas pu être calculée",
        "the {which} value could not be computed",
    ),
    "compare_count_exact": (
        "exact count",
        "un effectif de personnes est exact : il n'y a pas d'incertitude d'échantillonnage à "
        "laquelle comparer l'écart",
        "a count of people is exact: there is no sampling uncertainty to compare with",
    ),
    "compare_no_interval": (
        "no interval",
        "l'une des valeurs n'a pas d'intervalle : l'évolution ne peut pas être testée",
        "no interval for one of the values: the change cannot be tested",
    ),
    "meta_few_estimates": (
        "too few estimates",
        "moins de 2 estimations",
        "fewer than 2 estimates",
    ),
    "meta_missing_se": (
        "missing standard error",
        "une estimation ou son erreur type manque",
        "an estimate or its standard error is missing",
    ),
    "ranking_few_runs": (
        "no rank agreement",
        "moins de 3 exécutions, ou l'un des classements est plat",
        "fewer than 3 runs, or one ranking is flat",
    ),
    "ranking_tau_interval_few_runs": (
        "no interval",
        "un intervalle pour le τ-b demande au moins 5 exécutions",
        "an interval for τ-b needs at least 5 runs",
    ),
    "consolidate_not_poolable": (
        "cannot be pooled",
        "{what} ne se regroupe pas à partir des chiffres publiés des exécutions",
        "{what} cannot be pooled from the runs' figures",
    ),
    "consolidate_run_suppressed": (
        "run's figure suppressed",
        "le chiffre de {run} est masqué dans ses résultats : le chiffre du réseau ne peut pas "
        "être calculé à partir des chiffres publiés",
        "the figure of {run} is suppressed in its results: the network figure cannot be "
        "computed from the published ones",
    ),
    "consolidate_below_min_cell": (
        "group below the privacy threshold",
        "moins de {min_cell} personnes dans le chiffre consolidé (privacy.min_cell)",
        "fewer than {min_cell} people in the consolidated figure (privacy.min_cell)",
    ),
    "consolidate_secondary": (
        "secondary suppression",
        "avec les chiffres publiés des exécutions, ce total révélerait moins de {min_cell} "
        "personnes des exécutions dont les chiffres sont masqués (masquage secondaire)",
        "with the runs' published figures, this total would reveal fewer than {min_cell} "
        "people of the runs whose figures are suppressed (secondary suppression)",
    ),
    "consolidate_mean_no_interval": (
        "no interval",
        "pas d'intervalle pour {run} : son écart type est inconnu",
        "no interval for {run}: its SD is unknown",
    ),
    "volunteering_persons_summed": (
        "persons summed",
        "somme des catégories déclarées : une personne présente dans deux catégories compte "
        "deux fois",
        "sum of declared categories; a person in two categories counts twice",
    ),
    "effect_computation_failed": (
        "numerical failure",
        "le calcul a échoué ({detail})",
        "the computation failed ({detail})",
    ),
    "staggered_few_treated_units": (
        "group below the privacy threshold",
        "calculé sur moins de {min_cell} unités du dispositif (seuil de confidentialité)",
        "computed from fewer than {min_cell} treated units (privacy threshold)",
    ),
    # --- effects: data and groups --------------------------------------------------------------
    "no_treated": (
        "empty programme group",
        "personne dans le groupe du dispositif",
        "no one in the programme group",
    ),
    "no_treated_never_1": (
        "empty programme group",
        "personne dans le groupe du dispositif (le traitement ne vaut jamais 1)",
        "no one in the programme group (treatment is never 1)",
    ),
    "no_comparison": (
        "empty comparison group",
        "personne dans le groupe de comparaison",
        "no one in the comparison group",
    ),
    "no_comparison_never_0": (
        "empty comparison group",
        "personne dans le groupe de comparaison (le traitement ne vaut jamais 0)",
        "no one in the comparison group (treatment is never 0)",
    ),
    "groups_too_small_for_spread": (
        "groups too small",
        "chaque groupe doit compter au moins deux personnes pour estimer une dispersion",
        "each group needs at least two people to estimate a spread",
    ),
    "outcome_constant": (
        "constant outcome",
        "le résultat ne prend qu'une seule valeur : il n'y a aucune variation à comparer",
        "the outcome takes a single value: there is no variation to compare",
    ),
    "outcome_constant_explain": (
        "constant outcome",
        "le résultat ne prend qu'une seule valeur : il n'y a aucune variation à expliquer",
        "the outcome takes a single value: there is no variation to explain",
    ),
    "group_below_min_cell": (
        "group below the privacy threshold",
        "moins de {min_cell} personnes dans le {group} : le résultat est masqué par la règle "
        "de confidentialité",
        "fewer than {min_cell} people in the {group}: the result is withheld by the privacy rule",
    ),
    "no_rows_after_missing": (
        "no complete rows",
        "aucune ligne ne reste une fois retirées les lignes aux valeurs manquantes",
        "no rows left once rows with missing values are removed",
    ),
    "missing_column": (
        "missing column",
        "la source de données {source} n'a pas de colonne {column}{hint}",
        "the data source {source} has no column {column}{hint}",
    ),
    "data_has_no_columns": (
        "missing columns",
        "les données n'ont pas de colonne {columns}",
        "the data have no column {columns}",
    ),
    "indicator_not_binary": (
        "group column not 0/1",
        "`{key}: {text}` doit être une colonne 0/1 ou vrai/faux ; pour d'autres valeurs, écrire "
        "une condition comme `{text} == 'programme'`",
        "`{key}: {text}` must be a 0/1 or true/false column; for other values write a "
        "condition such as `{text} == 'programme'`",
    ),
    "outcome_not_numeric": (
        "outcome not numeric",
        "le résultat {outcome} doit contenir des nombres ou des valeurs vrai/faux",
        "the outcome {outcome} must hold numbers or true/false values",
    ),
    "no_capability_result": (
        "unknown capability result",
        "aucun résultat de capabilité nommé {outcome}{hint}",
        "no capability result named {outcome}{hint}",
    ),
    "estimate_not_computed": (
        "not computed",
        "l'estimation n'a pas pu être calculée",
        "the estimate could not be computed",
    ),
    # --- effects: clusters and standard errors -------------------------------------------------
    "cluster_label_missing": (
        "missing cluster label",
        "certaines lignes n'ont pas d'étiquette de grappe",
        "some rows have no cluster label",
    ),
    "single_cluster": (
        "one cluster",
        "une seule grappe : {what} demande au moins {minimum} grappes",
        "only one cluster: {what} needs at least {minimum} clusters",
    ),
    "few_clusters": (
        "too few clusters",
        "seulement {clusters} grappes : impossible d'estimer {what} avec moins de "
        "{minimum} grappes (il reposerait sur un ou deux totaux de grappe et paraîtrait bien "
        "trop précis) ; réunir plus de grappes, ou n'utiliser `se: robust` que si ce sont des "
        "personnes, et non des grappes, qui ont été affectées au dispositif",
        "only {clusters} clusters: {what} cannot be estimated from fewer than {minimum} "
        "clusters (it would rest on one or two cluster totals and look far too precise); "
        "gather more clusters, or use `se: robust` only if people, not clusters, were "
        "assigned to the programme",
    ),
    "needs_cluster_column": (
        "no cluster column",
        "les erreurs types par grappe demandent une colonne `cluster`",
        "cluster standard errors need a `cluster` column",
    ),
    "collinear_regressors": (
        "collinear regressors",
        "les régresseurs sont colinéaires",
        "the regressors are collinear",
    ),
    "fixed_effects_all_singletons": (
        "every row alone in its level",
        "chaque ligne est seule dans son niveau d'effet fixe ({fixed}) : chacune est ajustée "
        "exactement et aucune ne reste pour estimer l'effet ; vérifiez que les unités (ou les "
        "niveaux) se répètent d'une période à l'autre",
        "every row is alone in its level of the fixed effects ({fixed}): each is fitted "
        "exactly and none is left to estimate the effect; check that the units (or levels) "
        "repeat across periods",
    ),
    "too_few_observations": (
        "too few observations",
        "trop peu d'observations ({n}) pour les {parameters} paramètres du modèle",
        "too few observations ({n}) for the {parameters} parameters of the model",
    ),
    "weights_invalid": (
        "invalid weights",
        "les poids doivent être des nombres finis et positifs ou nuls",
        "the weights must be finite and non-negative numbers",
    ),
    "weights_all_zero": (
        "zero weights",
        "tous les poids sont nuls : aucune ligne pour l'estimation",
        "every weight is zero: no row to estimate from",
    ),
    # --- effects: designs ----------------------------------------------------------------------
    "no_rows_in_period": (
        "empty period",
        "aucune ligne avec {time} = {value} (la période « {period} »)",
        "no rows with {time} = {value} (the '{period}' period)",
    ),
    "no_side_of_cutoff": (
        "empty side of the cutoff",
        "aucune observation d'un côté du seuil {cutoff} de {running}",
        "no observations on one side of the cutoff {cutoff} of {running}",
    ),
    "matching_needs_both_groups": (
        "empty group",
        "l'appariement demande des personnes dans le groupe du dispositif et dans le groupe de "
        "comparaison",
        "matching needs people in both the programme and comparison groups",
    ),
    "staggered_never_treated": (
        "no treated unit",
        "aucune unité n'est jamais traitée pendant les périodes observées",
        "no unit is ever treated within the observed periods",
    ),
    "staggered_two_periods": (
        "too few periods",
        "la différence de différences échelonnée demande au moins deux périodes",
        "staggered difference-in-differences needs at least two periods",
    ),
    # --- effects: more data and design checks --------------------------------------------------
    "group_column_invalid": (
        "invalid group definition",
        "`{key}` : {detail}",
        "`{key}`: {detail}",
    ),
    "formula_refused": (
        "formula refused",
        "formule refusée : {detail}",
        "formula refused: {detail}",
    ),
    "formula_unreadable": (
        "formula unreadable",
        "la formule ne peut pas être lue : {detail}",
        "the formula cannot be read: {detail}",
    ),
    "formula_no_term": (
        "term not in the formula",
        "la formule n'a pas de terme {term} (termes : {terms}){hint}",
        "the formula has no term {term} (terms: {terms}){hint}",
    ),
    "benchmark_not_a_term": (
        "benchmark covariate not in the formula",
        "la covariable de référence {covariate} n'est pas un terme de la formule (termes : {terms})",
        "benchmark covariate {covariate} is not a term of the formula (terms: {terms})",
    ),
    "data_unavailable": (
        "data unavailable",
        "données indisponibles : {detail}",
        "data unavailable: {detail}",
    ),
    "variance_not_computable": (
        "variance not computable",
        "la variance ne peut pas être calculée : {detail}",
        "the variance cannot be computed: {detail}",
    ),
    "capability_other_source": (
        "capability on another source",
        "la capabilité {capability} est calculée sur la source {source} mais cet effet lit "
        "{data} : l'estimer sur {source}",
        "capability {capability} is computed on data source {source} but this effect reads "
        "{data}: estimate it on {source}",
    ),
    "one_arm_clusters": (
        "too few clusters in one group",
        "seulement {count} grappe(s) {side} : impossible d'estimer {what} ; il faut au moins "
        "{minimum} grappes contenant des unités du groupe du dispositif et {minimum} contenant "
        "des unités du groupe de comparaison (ici {treated} et {control}, sur {clusters} "
        "grappes). Avec une seule grappe d'un côté, ses résidus s'annulent et l'erreur type "
        "paraît bien trop petite ; réunir plus de grappes, ou n'utiliser `se: robust` que si ce "
        "sont des personnes, et non des grappes, qui ont été affectées au dispositif",
        "only {count} {side} cluster: {what} cannot be estimated; it needs at least {minimum} "
        "clusters holding programme-group units and {minimum} holding comparison-group units "
        "(here {treated} and {control}, of {clusters} clusters). With a single cluster on one "
        "side its residuals sum to zero and the standard error looks far too small; gather "
        "more clusters, or use `se: robust` only if people, not clusters, were assigned to the "
        "programme",
    ),
    "se_degenerate": (
        "zero-width interval",
        "l'erreur type est {state} ({se} pour une estimation de {estimate}) : l'intervalle "
        "n'aurait aucune largeur, aucun intervalle valide ne peut donc être publié ; cela arrive "
        "quand les données ne laissent aucune variation indépendante pour mesurer l'incertitude "
        "(par exemple un résultat ajusté exactement, ou un traitement qui coïncide avec les "
        "grappes)",
        "the standard error is {state} ({se} for an estimate of {estimate}): the interval would "
        "have no width, so no valid interval can be reported; this happens when the data leave "
        "no independent variation to measure uncertainty (for instance an outcome fitted "
        "exactly, or a treatment that coincides with clusters)",
    ),
    "no_variation_in": (
        "constant column",
        "plus aucune variation dans {columns} (colonne constante ou absorbée)",
        "no variation left in {columns} (the column is constant or absorbed)",
    ),
    "treatment_collinear": (
        "treatment not identified",
        "le terme du traitement {term} est colinéaire à d'autres colonnes : l'effet n'est pas "
        "identifié",
        "the treatment term {term} is collinear with other columns: the effect is not identified",
    ),
    "collinear_covariates": (
        "collinear covariates",
        "covariables colinéaires : {columns} s'écrivent à partir des autres colonnes ; en "
        "retirer une",
        "collinear covariates: {columns} can be written from the other columns; remove one of them",
    ),
    "wild_bootstrap_failed": (
        "wild bootstrap failed",
        "le bootstrap sauvage par grappe a échoué : la plupart des réplications ont une erreur "
        "type nulle ({clusters} grappes, c'est trop peu pour ce plan)",
        "the wild cluster bootstrap failed: most replications have a zero standard error "
        "({clusters} clusters are too few for this design)",
    ),
    "small_sample_needs_cluster": (
        "no cluster column",
        "small_sample: {method} demande une colonne `cluster`",
        "small_sample: {method} needs a `cluster` column",
    ),
    "fixed_effects_no_convergence": (
        "fixed effects not absorbed",
        "les effets fixes n'ont pas pu être absorbés (pas de convergence)",
        "the fixed effects could not be absorbed (no convergence)",
    ),
    "term_absorbed": (
        "term absorbed",
        "le terme {term} est absorbé par les effets fixes ({fixed}) : l'effet n'est pas identifié",
        "the term {term} is absorbed by the fixed effects ({fixed}): the effect is not identified",
    ),
    "leverage_too_many_dummies": (
        "too many fixed effects",
        "{kind} demande le levier de chaque effet fixe, ce qui demanderait ici trop de colonnes "
        "indicatrices ; utiliser `se: hc1`",
        "{kind} needs the leverage of every fixed effect, which would take too many dummy "
        "columns here; use `se: hc1`",
    ),
    "fixed_effects_not_nested": (
        "fixed effects not nested",
        "les effets fixes de {fixed} ne sont pas emboîtés dans les grappes et ont trop de "
        "modalités pour être gardés en colonnes indicatrices, ce dont CR2 et le bootstrap "
        "sauvage par grappe ont besoin ici ; utiliser `se: cluster` (CR1)",
        "the fixed effects of {fixed} are not nested in the clusters and have too many levels "
        "to be kept as dummy columns, which CR2 and the wild cluster bootstrap need here; use "
        "`se: cluster` (CR1)",
    ),
    "did_empty_cell": (
        "empty cell",
        "aucune ligne du {group} {period} le dispositif",
        "no rows of the {group} {period} the programme",
    ),
    "randomisation_no_fixed_effects": (
        "option not available",
        "l'inférence par randomisation n'accepte pas `fixed_effects`",
        "randomisation inference does not take `fixed_effects`",
    ),
    "randomisation_mixed_clusters": (
        "mixed clusters",
        "l'inférence par randomisation par grappe demande que toute la grappe soit dans un même "
        "groupe : certaines grappes mêlent des personnes du dispositif et de la comparaison",
        "randomisation inference by cluster needs the whole cluster in one group: some "
        "clusters hold both programme and comparison people",
    ),
    "optional_package_missing": (
        "optional package missing",
        "le plan {design} demande le ou les paquets optionnels {packages} : pip install "
        "'evalsoc[effects]'",
        "the design {design} needs the optional package(s) {packages}: pip install "
        "'evalsoc[effects]'",
    ),
    "nothing_to_instrument": (
        "constant endogenous variable",
        "{variable} ne prend qu'une seule valeur : il n'y a rien à instrumenter",
        "{variable} takes a single value: there is nothing to instrument",
    ),
    "matching_needs_covariates": (
        "no covariates",
        "l'appariement {method} demande des `covariates` (ou `exact`) sur lesquelles apparier",
        "{method} matching needs `covariates` (or `exact`) to match on",
    ),
    "nearest_needs_covariates": (
        "no covariates",
        "l'appariement au plus proche voisin demande des `covariates` pour le score",
        "nearest-neighbour matching needs `covariates` for the score",
    ),
    "no_match_found": (
        "no match",
        "aucune personne du groupe du dispositif n'a trouvé de contrepartie comparable : "
        "élargir le caliper ou regrouper les covariables",
        "no programme-group person found a comparable counterpart: loosen the caliper or "
        "coarsen the covariates",
    ),
    "matching_ai_neighbours": (
        "too few comparison people for the Abadie–Imbens variance",
        "l'erreur type d'Abadie–Imbens compare chaque personne du groupe de comparaison à "
        "ses {neighbours} plus proches voisins de ce groupe : il en faut davantage ; réduire "
        "`ai_neighbours`",
        "the Abadie–Imbens standard error compares each comparison-group person with their "
        "{neighbours} nearest neighbours in that group: there are too few; lower "
        "`ai_neighbours`",
    ),
    "unmatched_below_min_cell": (
        "unmatched people below the privacy threshold",
        "moins de {min_cell} personnes du groupe du dispositif ({unmatched}) n'ont pas trouvé "
        "de contrepartie : leur nombre se lirait dans la taille des groupes, le résultat est "
        "donc masqué par la règle de confidentialité ; élargir le caliper, regrouper les "
        "covariables ou restreindre l'échantillon avec `where`",
        "fewer than {min_cell} programme-group people ({unmatched}) found no counterpart: "
        "their number could be read from the group sizes, so the result is withheld by the "
        "privacy rule; widen the caliper, coarsen the covariates, or restrict the sample with "
        "`where`",
    ),
    "too_few_pairs": (
        "too few pairs",
        "seulement {n} unité(s) observée(s) avant et après : il en faut au moins deux",
        "only {n} unit(s) observed both before and after: at least two are needed",
    ),
    "change_constant": (
        "identical changes",
        "chaque unité a évolué exactement du même montant : aucune variation pour estimer une "
        "erreur type",
        "every unit changed by exactly the same amount: there is no variation to estimate a "
        "standard error",
    ),
    "rdrobust_failed": (
        "rdrobust failed",
        "rdrobust n'a pas pu estimer la discontinuité ({detail})",
        "rdrobust could not estimate the discontinuity ({detail})",
    ),
    "perfect_separation": (
        "perfect separation",
        "séparation parfaite : le modèle de propension {state} car les covariables de "
        "propension prédisent exactement qui participe ; certaines personnes n'ont donc aucune "
        "contrepartie comparable dans l'autre groupe ; retirer ou regrouper une covariable, ou "
        "restreindre l'échantillon avec `where`",
        "perfect separation: the propensity model {state} because the propensity covariates "
        "predict exactly who takes part, so some people have no comparable counterpart in the "
        "other group; remove or coarsen a covariate, or restrict the sample with `where`",
    ),
    "limited_overlap": (
        "limited overlap",
        "recouvrement limité : le modèle de propension {model} a convergé, mais {who} ont une "
        "propension inférieure à {tolerance} ou supérieure à 1 − {tolerance} (de {smallest} à "
        "{largest}) : ils n'ont presque aucune contrepartie dans l'autre groupe et leurs poids "
        "domineraient l'estimation. Les écarter (`trim: crump` pour la règle de Crump et al. "
        "2009, ou des bornes comme `trim: [0.1, 0.9]`), viser la population de recouvrement "
        "(`estimand: ato`), ou abaisser `pstolerance` (actuellement {tolerance}) si de tels "
        "poids sont acceptables",
        "limited overlap: the {model} propensity model converged, but {who} have a propensity "
        "below {tolerance} or above 1 − {tolerance} (range {smallest} to {largest}): they have "
        "almost no counterpart in the other group and their weights would dominate the "
        "estimate. Trim them (`trim: crump` for the Crump et al. 2009 rule, or bounds such as "
        "`trim: [0.1, 0.9]`), target the overlap population (`estimand: ato`), or lower "
        "`pstolerance` (now {tolerance}) if such weights are acceptable",
    ),
    "separation_by_level": (
        "perfect separation",
        "séparation parfaite : toutes les personnes avec {name} = {level} ({n} personnes) {who}, "
        "elles n'ont donc aucune contrepartie comparable ; retirer ou regrouper cette "
        "covariable, ou restreindre l'échantillon avec `where`",
        "perfect separation: everyone with {name} = {level} ({n} people) {who}, so they have no "
        "comparable counterpart; remove or coarsen that covariate, or restrict the sample with "
        "`where`",
    ),
    "one_cluster_sandwich": (
        "one cluster",
        "une seule grappe : les erreurs types robustes par grappe en demandent plusieurs",
        "only one cluster: cluster-robust standard errors need several",
    ),
    "estimating_equations_singular": (
        "singular equations",
        "les équations d'estimation sont singulières (covariables colinéaires ?)",
        "the estimating equations are singular (collinear covariates?)",
    ),
    "needs_propensity_covariates": (
        "no propensity covariates",
        "{estimator} demande des covariables de propension",
        "{estimator} needs propensity covariates",
    ),
    "ato_ipw_only": (
        "option not available",
        "estimand: ato (poids de recouvrement) n'est disponible que pour le plan ipw",
        "estimand: ato (overlap weights) is available for design ipw only",
    ),
    "unknown_dr_method": (
        "unknown method",
        "méthode doublement robuste inconnue {estimator} (aipw, aipw_wls, ipwra)",
        "unknown doubly robust method {estimator} (aipw, aipw_wls, ipwra)",
    ),
    "propensity_model_invalid": (
        "invalid propensity model",
        "propensity_model doit valoir logit ou probit, et non {model}",
        "propensity_model must be logit or probit, got {model}",
    ),
    "trim_share_invalid": (
        "invalid trim",
        "trim doit être une part entre 0 et 0,5 (par ex. 0.05), et non {trim}",
        "trim must be a share between 0 and 0.5 (e.g. 0.05), got {trim}",
    ),
    "trim_bounds_invalid": (
        "invalid trim",
        "les bornes de trim doivent être deux nombres 0 ≤ bas < haut ≤ 1, et non {trim}",
        "trim bounds must be two numbers 0 ≤ low < high ≤ 1, got {trim}",
    ),
    "design_needs_propensity_covariates": (
        "no propensity covariates",
        "{design} demande des covariables pour le modèle de propension (`propensity` ou "
        "`covariates`)",
        "{design} needs covariates for the propensity model (`propensity` or `covariates`)",
    ),
    "arm_too_small_for_model": (
        "group too small",
        "trop peu de personnes dans le {group} ({n}) pour un modèle du résultat à {parameters} "
        "paramètres",
        "too few people in the {group} ({n}) for an outcome model with {parameters} parameters",
    ),
    "time_not_numeric": (
        "time not numeric",
        "la colonne de temps {time} doit contenir des nombres (par ex. des années ou des numéros "
        "de période)",
        "the time column {time} must hold numbers (e.g. years or period numbers)",
    ),
    "unit_period_duplicated": (
        "duplicated unit and period",
        "certaines unités apparaissent plusieurs fois dans la même période ({unit} × {time}) ; la "
        "différence de différences échelonnée demande une ligne par unité et par période",
        "some units appear more than once in the same period ({unit} × {time}); staggered "
        "difference-in-differences needs one row per unit and period",
    ),
    "first_treated_varies": (
        "first treated period varies",
        "la première période traitée ({column}) change au cours du temps pour certaines "
        "unités ; elle doit être la même sur chaque ligne d'une unité",
        "the first treated period ({column}) changes over time for some units; it must be the "
        "same on every row of a unit",
    ),
    "cluster_varies_within_unit": (
        "units not nested in clusters",
        "la colonne de grappe {cluster} change au cours du temps pour certaines unités ; les "
        "unités doivent être emboîtées dans les grappes",
        "the cluster column {cluster} changes over time within some units; units must be "
        "nested in clusters",
    ),
    "no_never_treated": (
        "no never-treated units",
        "aucune unité jamais traitée pour la comparaison ; utiliser `control: not_yet_treated`",
        "there are no never-treated units to compare with; use `control: not_yet_treated`",
    ),
    "no_group_time_effect": (
        "no group-time effect",
        "aucun effet par cohorte et période n'a pu être estimé (pas d'unités de comparaison)",
        "no group-time effect could be estimated (no comparison units)",
    ),
    "no_cohort_after_treatment": (
        "no treated period observed",
        "aucune cohorte n'est observée après sa première période traitée",
        "no cohort is observed after its first treated period",
    ),
    "first_treated_invalid": (
        "invalid first treated period",
        "`first_treated` ({column}) doit contenir la première période traitée, ou 0 pour les "
        "jamais traités ; trouvé {values}",
        "`first_treated` ({column}) must hold the first treated period, or 0 for never "
        "treated; found {values}",
    ),
    "cohort_propensity_no_convergence": (
        "propensity did not converge",
        "le score de propension d'une cohorte n'a pas convergé (les covariables séparent "
        "peut-être la cohorte de ses unités de comparaison) ; utiliser `est_method: reg`",
        "the propensity score of a cohort did not converge (the covariates may separate the "
        "cohort from its comparison units); use `est_method: reg`",
    ),
    # --- capabilities ----------------------------------------------------------------------------
    "item_not_numeric": (
        "item not numeric",
        "l'item {item} n'est pas numérique et ne déclare pas de modalités ordonnées",
        "item {item} is not numeric and declares no ordered levels",
    ),
    "date_unreadable": (
        "unreadable date",
        "dates : {value} n'est ni une année ni une date (AAAA-MM-JJ)",
        "dates: {value} is neither a year nor a date (YYYY-MM-DD)",
    ),
    "columns_not_in_data": (
        "missing columns",
        "colonnes absentes des données {source} : {columns}",
        "columns not found in data {source}: {columns}",
    ),
    "missing_items_refused": (
        "missing item values",
        "{n} personnes ont des items manquants et la règle est `missing: error`",
        "{n} persons have missing item values and the policy is `missing: error`",
    ),
    "no_person_left": (
        "no one left",
        "personne ne reste après le filtre `where` et la règle des valeurs manquantes",
        "no person left after the `where` filter and the missing-value policy",
    ),
    # --- territorial references (sections/indicators/references.py) ------------------------
    "reference_no_value": (
        "no value to compare",
        "pas de comparaison : l'indicateur n'a pas de valeur",
        "no comparison: the indicator has no value",
    ),
    "reference_no_interval": (
        "uncertainty unknown",
        "l'indicateur n'a pas d'intervalle de confiance (trop peu de lignes ou aucune "
        "variation) : on ne peut pas dire si l'écart dépasse l'incertitude",
        "the indicator has no confidence interval (too few rows or no variation): whether the "
        "difference exceeds the uncertainty cannot be said",
    ),
    # --- stakeholders' valuation (sections/criteria/elicitation.py) -------------------------
    "not_material": (
        "not material",
        "non retenu car non matériel : les parties prenantes lui donnent un poids de {value}, "
        "sous le seuil de matérialité {threshold} (valuation.materiality)",
        "left out as not material: stakeholders give it a weight of {value}, below the "
        "materiality threshold {threshold} (valuation.materiality)",
    ),
    # --- SROI --------------------------------------------------------------------------------------
    "result_unavailable": (
        "result unavailable",
        "le résultat de {kind} {ref} n'est pas disponible",
        "the result of {kind} {ref} is not available",
    ),
    "result_suppressed": (
        "result suppressed",
        "{kind} {ref} est masqué (trop peu de personnes)",
        "{kind} {ref} is suppressed (too few people)",
    ),
    "result_not_estimable": (
        "result not estimable",
        "{kind} {ref} n'est pas estimable : {reason}",
        "{kind} {ref} is not estimable: {reason}",
    ),
    "quantity_no_value": (
        "no value",
        "{kind} {ref}{part} n'a pas de valeur",
        "{kind} {ref}{part} has no value",
    ),
    "indicator_no_count": (
        "no count",
        "l'indicateur {indicator} (un(e) {kind}) n'a pas d'effectif",
        "indicator {indicator} (a {kind}) has no count",
    ),
    "effect_no_treated_count": (
        "no number treated",
        "l'effet {effect} ne donne pas de nombre de personnes traitées : ajouter `times:`",
        "effect {effect} gives no number treated: add `times:`",
    ),
    "capability_no_result_for_k": (
        "no capability result",
        "la capabilité {capability} n'a pas de résultat pour k = {k}",
        "capability {capability} has no result for k = {k}",
    ),
    "volunteering_not_computed": (
        "volunteering not computed",
        "la section bénévolat n'est pas calculée par cette version",
        "the volunteering section is not computed by this version",
    ),
    "volunteering_currency": (
        "two currencies",
        "le bénévolat est valorisé en {currency} et le SROI en {sroi_currency} : utiliser une "
        "seule devise",
        "volunteering is valued in {currency} and the SROI in {sroi_currency}: use one currency",
    ),
    "volunteering_not_valued": (
        "volunteer hours not valued",
        "la section bénévolat n'a pas valorisé les heures bénévoles (pas de méthode de "
        "valorisation)",
        "the volunteering section did not value volunteer hours (no valuation method)",
    ),
    "volunteering_category_no_value": (
        "category without value",
        "la catégorie de bénévolat {category} n'a pas de valeur : {why}",
        "volunteering category {category} has no value: {why}",
    ),
    # --- indicators: inequality ----------------------------------------------------------------
    "inequality_two_values": (
        "too few values",
        "l'indice {index} demande au moins deux valeurs",
        "the {index} index needs at least two values",
    ),
    "inequality_positive_values": (
        "values must be positive",
        "l'indice {index} demande des valeurs supérieures à zéro",
        "the {index} index needs values above zero",
    ),
    "inequality_non_negative_values": (
        "negative values",
        "l'indice {index} demande des valeurs positives ou nulles",
        "the {index} index needs values of zero or more",
    ),
    "inequality_positive_mean": (
        "mean not positive",
        "l'indice {index} demande une moyenne positive",
        "the {index} index needs a positive mean",
    ),
    "inequality_binary_outcome": (
        "0/1 outcome",
        "l'indice {index} d'un résultat 0/1 n'est que la part des personnes sans ce résultat "
        "(et permettrait de les compter) : choisissez un résultat chiffré",
        "the {index} index of a 0/1 outcome is only the share of people without it (and would "
        "let readers count them): choose a numeric outcome",
    ),
    "inequality_cell_below_min_cell": (
        "cell below the privacy threshold",
        "moins de {min_cell} personnes dans le {cell} : l'indice d'inégalité est masqué par la "
        "règle de confidentialité",
        "fewer than {min_cell} people in the {cell}: the inequality index is withheld by the "
        "privacy rule",
    ),
    "inequality_no_spread": (
        "no spread of the index",
        "l'indice {index} ne varie pas d'un échantillon à l'autre (erreur type nulle) : "
        "aucun intervalle ne peut être donné",
        "the {index} index does not vary between samples (zero standard error): no interval "
        "can be given",
    ),
    "atkinson_epsilon": (
        "invalid aversion",
        "l'indice d'Atkinson demande une aversion à l'inégalité ε supérieure à 0",
        "the Atkinson index needs an inequality aversion ε above 0",
    ),
    # --- data checks (quarantine); the English wording is the check name in results.json ------
    "check_missing": (
        "missing value",
        "valeur manquante (non autorisée)",
        "missing value (not nullable)",
    ),
    "check_duplicate": (
        "duplicate value",
        "valeur en double (doit être unique)",
        "duplicate value (unique)",
    ),
    "check_duplicate_key": ("duplicate key", "clé en double ({key})", "duplicate key ({key})"),
    "check_min": ("below the minimum", "minimum {limit}", "min {limit}"),
    "check_max": ("above the maximum", "maximum {limit}", "max {limit}"),
    "check_one_of": ("value not allowed", "une des valeurs {values}", "one of {values}"),
    "check_likert": (
        "Likert answer out of range",
        "réponse de 1 à {levels}",
        "likert answer in 1..{levels}",
    ),
    "check_type_boolean": (
        "not a yes/no value",
        "type : oui/non (oui/non, vrai/faux, yes/no, 1/0)",
        "type: boolean (oui/non, vrai/faux, yes/no, 1/0)",
    ),
    "check_type_number": ("not a number", "type : nombre", "type: number"),
    "check_type_integer": ("not an integer", "type : entier", "type: integer"),
    "check_type_date_default": (
        "not a date",
        "type : date (AAAA-MM-JJ ou JJ/MM/AAAA)",
        "type: date (YYYY-MM-DD or DD/MM/YYYY)",
    ),
    "check_type_date_format": ("not a date", "type : date ({format})", "type: date ({format})"),
    "check_type_other": ("wrong type", "type : {kind}", "type: {kind}"),
    "check_join_unmatched": (
        "join without a match",
        "aucune ligne de la table {table} avec cette clé",
        "no row of {table} with this key",
    ),
    "check_join_ambiguous": (
        "join with several matches",
        "plusieurs lignes de la table {table} avec cette clé",
        "several rows of {table} with this key",
    ),
    "check_join_repeated": (
        "repeated key in a one-to-one join",
        "clé répétée dans la table {table} (one_to_one)",
        "key repeated in {table} (one_to_one)",
    ),
    # --- figures not computed: indicators, scales, agreement, rubrics, volunteering ----------
    "no_rows_with_value": (
        "no value",
        "aucune ligne n'a de valeur",
        "no rows with a value",
    ),
    "value_not_computable": (
        "no value",
        "la valeur ne peut pas être calculée à partir de ces lignes",
        "the value cannot be computed from these rows",
    ),
    "interval_too_few_rows": (
        "no interval",
        "trop peu de lignes pour un intervalle",
        "too few rows for an interval",
    ),
    "interval_no_variation": (
        "no interval",
        "aucune variation dans les données",
        "no variation in the data",
    ),
    "scale_single_item": (
        "no internal consistency",
        "un seul item n'a pas de cohérence interne",
        "a single item has no internal consistency",
    ),
    "scale_few_answers": (
        "no internal consistency",
        "moins de trois réponses complètes",
        "fewer than three complete answers",
    ),
    "omega_few_items": (
        "no omega",
        "ω demande un modèle à un facteur, donc au moins trois items",
        "ω needs a one-factor model, which needs at least three items",
    ),
    "omega_not_fitted": (
        "no omega",
        "le modèle à un facteur n'a pas pu être ajusté (items constants ou trop peu de réponses)",
        "the one-factor model could not be fitted (constant items or too few answers)",
    ),
    "agreement_few_units": (
        "no agreement",
        "l'accord demande au moins deux unités notées (critères, sites ou cas), chacune jugée "
        "par au moins deux évaluateurs",
        "agreement needs at least two rated units (criteria, sites or cases), each judged by "
        "two raters or more",
    ),
    "agreement_one_level": (
        "no agreement",
        "tous les jugements sont au même niveau : l'accord ne se distingue pas du hasard",
        "all judgements are at the same level: agreement cannot be told apart from chance",
    ),
    "agreement_not_asked": (
        "no agreement",
        "accord non demandé (agreement: none)",
        "not asked for (agreement: none)",
    ),
    "agreement_few_units_note": (
        "rough interval",
        "seulement {units} unités : l'intervalle par bootstrap est approximatif ; notez davantage "
        "d'unités (critères, sites ou cas) pour un intervalle plus solide",
        "only {units} units: the bootstrap interval is rough; rate more units (criteria, sites "
        "or cases) for a firmer one",
    ),
    "participation_no_role_column": (
        "no participation share",
        "pas de colonne de rôle",
        "no role column",
    ),
    "participation_roles_undeclared": (
        "no participation share",
        "people_served_roles n'est pas déclaré",
        "people_served_roles is not declared",
    ),
    "rubric_all_insufficient": (
        "no rubric value",
        "chaque jugement dit que les éléments de preuve sont insuffisants",
        "every judgement says the evidence is insufficient",
    ),
    "volunteering_no_rate": (
        "no value",
        "aucun taux de remplacement déclaré pour cette catégorie",
        "no replacement rate declared for this category",
    ),
    "mde_cluster_se": (
        "design effect",
        "l'erreur type robuste par grappe porte déjà l'effet de plan",
        "cluster-robust SE already carries the design effect",
    ),
    "pretrend_no_periods": (
        "no pre-trend test",
        "aucune période avant le traitement à tester",
        "no pre-treatment periods to test",
    ),
    "synthesis_no_verdict": (
        "no score",
        "aucun critère n'a de verdict",
        "no criterion with a verdict",
    ),
    "synthesis_weight_zero": ("no score", "poids nul", "weight 0"),
    "synthesis_nothing_to_score": (
        "no score",
        "aucun critère n'a de verdict à noter",
        "no criterion has a verdict to score",
    ),
    "cell_no_comparison": (
        "cell skipped",
        "aucune unité de comparaison à cette période",
        "no comparison units in this period",
    ),
    "cell_covariates_collinear": (
        "cell skipped",
        "les covariables sont colinéaires parmi les unités de comparaison",
        "the covariates are collinear among comparison units",
    ),
    # --- costs (sections/costs) ----------------------------------------------------------------
    "cost_effect_interval_contains_zero": (
        "effect interval contains zero",
        "l'intervalle de l'effet {effect} contient zéro : le coût par résultat supplémentaire "
        "peut être aussi grand qu'on veut (rapport non borné)",
        "the interval of effect {effect} contains zero: the cost per additional outcome could "
        "be as large as one likes (unbounded ratio)",
    ),
    "cost_effect_wrong_direction": (
        "effect in the wrong direction",
        "l'effet {effect} ne va pas dans le sens souhaité : aucun résultat supplémentaire à "
        "rapporter au coût",
        "effect {effect} does not go the desired way: no additional outcome to set the cost "
        "against",
    ),
    "cost_effect_not_estimable": (
        "effect not estimable",
        "l'effet {effect} n'a pas pu être estimé",
        "effect {effect} could not be estimated",
    ),
    "cost_effect_no_interval": (
        "effect without interval",
        "l'effet {effect} n'a pas d'intervalle de confiance à reporter sur le coût",
        "effect {effect} has no confidence interval to carry into the cost",
    ),
    "cost_effect_no_treated": (
        "number treated unknown",
        "le nombre de personnes du dispositif de l'effet {effect} n'est pas connu : "
        "déclarez `treated`",
        "the number of people treated of effect {effect} is not known: declare `treated`",
    ),
    "cost_indicator_suppressed": (
        "indicator suppressed",
        "l'indicateur {indicator} est masqué (règle des petits effectifs)",
        "indicator {indicator} is suppressed (small-cell rule)",
    ),
    "cost_indicator_no_count": (
        "indicator without count",
        "l'indicateur {indicator} n'a pas d'effectif publié",
        "indicator {indicator} has no published count",
    ),
    "cost_indicator_zero": (
        "indicator is zero",
        "l'indicateur {indicator} vaut zéro : pas de coût unitaire",
        "indicator {indicator} is zero: no unit cost",
    ),
    # --- engines: a source the Spark engine's intake leaves to the pandas intake ----------------
    "spark_intake_in_memory": (
        "read in memory",
        "{source} : lue en mémoire par l'intake pandas, puis confiée à Spark ({reason})",
        "{source}: read in memory by the pandas intake, then handed to Spark ({reason})",
    ),
    # --- a reason written before the catalogue (kept until every raise site is coded) ---------
    "uncoded": (
        "not estimable",
        "non estimable (détail technique, en anglais : {text})",
        "{text}",
    ),
    # --- errors: framework, data, command line (issue 9 item 5; wordings in error_catalogue) --
    **ERRORS,
}


def placeholders(template: str) -> set[str]:
    """The field names a `str.format` template uses."""
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(template)
        if name
    }


@dataclass(frozen=True)
class Problem:
    """A coded problem: a catalogue code and the parameters its wording needs."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"unknown problem code {self.code!r}")

    @property
    def title(self) -> str:
        return CATALOGUE[self.code][0]

    def text(self, lang: str) -> str:
        """The message in `lang` ('fr' or 'en')."""
        _, fr, en = CATALOGUE[self.code]
        values = {k: _in_lang(v, lang) for k, v in self.params.items()}
        return (fr if lang == "fr" else en).format(**values)

    def as_dict(self) -> dict[str, str]:
        """The published shape `{code, fr, en}` (the same as privacy reasons)."""
        return {"code": self.code, "fr": self.text("fr"), "en": self.text("en")}


# Words the computing code passes as parameters (English) → French, for `worded`.
WORDS: dict[str, str] = {
    "a cluster-robust standard error": "une erreur type robuste par grappe",
    "a wild cluster bootstrap interval": "un intervalle par bootstrap sauvage par grappe",
    "programme group": "groupe du dispositif",
    "comparison group": "groupe de comparaison",
    "people": "groupe étudié",
    "pairs observed before and after": "groupe des paires observées avant et après",
    "treated": "du dispositif",
    "comparison": "de comparaison",
    "before": "avant",
    "after": "après",
    "not finite": "non finie",
    "zero": "nulle",
    "did not converge": "n'a pas convergé",
    "predicts 0 or 1 exactly": "prédit exactement 0 ou 1",
    "take part": "participent",
    "do not take part": "ne participent pas",
    "indicator": "l'indicateur",
    "effect": "l'effet",
    "capability": "la capabilité",
    "no reason given": "aucune raison donnée",
    "no value": "pas de valeur",
}


def worded(english: str) -> dict[str, str]:
    """A parameter word in both languages (`WORDS`); a word without French is refused."""
    return {"fr": WORDS[english], "en": english}


def _in_lang(value: Any, lang: str) -> Any:
    """A parameter that is itself worded (`{"fr": ..., "en": ...}`) in `lang`; others as given."""
    if isinstance(value, dict) and lang in value:
        return value[lang]
    return value


def problem(code: str, **params: Any) -> dict[str, str]:
    """`{code, fr, en}` for a catalogue code and its parameters."""
    return Problem(code, params).as_dict()
