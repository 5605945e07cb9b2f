"""Every word compare.html shows, in French and English."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "title": {
        "fr": "Comparaison des lectures et des exécutions",
        "en": "Comparison of readings and runs",
    },
    "synthesis": {"fr": "Synthèse", "en": "Summary"},
    "runs": {"fr": "Exécutions comparées", "en": "Runs compared"},
    "run": {"fr": "Exécution", "en": "Run"},
    "period": {"fr": "Période", "en": "Period"},
    "source": {"fr": "Source", "en": "Source"},
    "two_readings": {
        "fr": "Deux lectures : utilité sociale et impact",
        "en": "Two readings: social utility and impact",
    },
    "criterion": {"fr": "Critère", "en": "Criterion"},
    "utility": {"fr": "Lecture d'utilité sociale", "en": "Social utility reading"},
    "impact": {"fr": "Lecture d'impact", "en": "Impact reading"},
    "agreement": {"fr": "Accord", "en": "Agreement"},
    "figures": {"fr": "Chiffres clés", "en": "Key figures"},
    "share_utility": {
        "fr": "Part des critères que la lecture d'utilité apprécie",
        "en": "Share of criteria the utility reading judges",
    },
    "share_impact": {
        "fr": "Part des critères que la lecture d'impact apprécie",
        "en": "Share of criteria the impact reading judges",
    },
    "share_outcomes_nm": {
        "fr": "Part des résultats du SROI non monétisés",
        "en": "Share of SROI outcomes not monetised",
    },
    "share_criteria_nm": {
        "fr": "Part des critères sans valeur SROI",
        "en": "Share of criteria with no SROI value",
    },
    "share_weak": {
        "fr": "Part de la valeur SROI venant de critères jugés faibles",
        "en": "Share of SROI value from criteria judged weak",
    },
    "indicators": {"fr": "Indicateurs d'une exécution à l'autre", "en": "Indicators across runs"},
    "indicator": {"fr": "Indicateur", "en": "Indicator"},
    "changes": {"fr": "Évolutions", "en": "Changes"},
    "from_to": {"fr": "De → à", "en": "From → to"},
    "difference": {"fr": "Écart", "en": "Difference"},
    "ci": {"fr": "IC 95 %", "en": "95% CI"},
    "beyond": {"fr": "Au-delà de l'incertitude ?", "en": "Beyond the uncertainty?"},
    "yes": {"fr": "oui", "en": "yes"},
    "no": {"fr": "non", "en": "no"},
    "definition_changed": {
        "fr": "définition modifiée : non comparé",
        "en": "definition changed: not compared",
    },
    "not_tested": {"fr": "non testable", "en": "cannot be tested"},
    "consolidated": {"fr": "Chiffres consolidés du réseau", "en": "Network consolidated figures"},
    "suppressed": {"fr": "masqué (effectif trop faible)", "en": "suppressed (too few people)"},
    "not_computable": {"fr": "non calculable", "en": "cannot be computed"},
    "pooled": {
        "fr": "Effets regroupés (méta-analyse à effets aléatoires)",
        "en": "Pooled effects (random-effects meta-analysis)",
    },
    "effect": {"fr": "Effet", "en": "Effect"},
    "method": {"fr": "Méthode", "en": "Method"},
    "estimate": {"fr": "Estimation", "en": "Estimate"},
    "prediction": {"fr": "Intervalle de prédiction 95 %", "en": "95% prediction interval"},
    "rankings": {"fr": "Classements selon chaque lecture", "en": "Rankings under each reading"},
    "pareto": {"fr": "Rang de dominance (utilité)", "en": "Dominance rank (utility)"},
    "weighted": {
        "fr": "Score pondéré (stabilité du rang)",
        "en": "Weighted score (rank stability)",
    },
    "sroi_rank": {
        "fr": "Rang SROI (probabilité d'être 1er)",
        "en": "SROI rank (probability of 1st)",
    },
    "effect_rank": {
        "fr": "Rang de l'effet (probabilité d'être 1er)",
        "en": "Effect rank (probability of 1st)",
    },
    "kendall": {"fr": "Accord des classements", "en": "Agreement of the rankings"},
    "glossary": {"fr": "Glossaire", "en": "Glossary"},
    "methods": {"fr": "Méthodes", "en": "Methods"},
    "none": {"fr": "aucun", "en": "none"},
    "unmatched": {
        "fr": "Indicateurs propres à une seule exécution",
        "en": "Indicators found in one run only",
    },
    "no_counterfactual": {"fr": "pas de contrefactuel", "en": "no counterfactual"},
    "not_monetised": {"fr": "non monétisé", "en": "not monetised"},
    "monetised": {"fr": "monétisé", "en": "monetised"},
    "effect_only": {
        "fr": "effet estimé, sans valeur SROI",
        "en": "effect estimated, no SROI value",
    },
    "favourable": {"fr": "effet favorable établi", "en": "favourable effect established"},
    "unfavourable": {"fr": "effet défavorable établi", "en": "unfavourable effect established"},
    "no_established_effect": {"fr": "pas d'effet établi", "en": "no effect established"},
    "agree": {"fr": "concordent", "en": "agree"},
    "disagree": {"fr": "divergent", "en": "disagree"},
    "only_utility": {"fr": "seule l'utilité se prononce", "en": "only utility can judge"},
    "only_impact": {"fr": "seul l'impact se prononce", "en": "only impact can judge"},
    "neither": {"fr": "aucune ne se prononce", "en": "neither can judge"},
    "insuffisant": {"fr": "Insuffisant", "en": "Insufficient"},
    "fragile": {"fr": "Fragile", "en": "Fragile"},
    "satisfaisant": {"fr": "Satisfaisant", "en": "Satisfactory"},
    "remarquable": {"fr": "Remarquable", "en": "Outstanding"},
    "preuves_insuffisantes": {"fr": "Preuves insuffisantes", "en": "Insufficient evidence"},
    "sroi_value": {"fr": "valeur SROI attribuée", "en": "SROI value attributed"},
    "forest": {"fr": "Graphique en forêt", "en": "Forest plot"},
    "pooled_label": {"fr": "Regroupé (REML)", "en": "Pooled (REML)"},
}

GLOSSARY: list[tuple[dict[str, str], dict[str, str]]] = [
    (
        {"fr": "Utilité sociale", "en": "Social utility"},
        {
            "fr": "Jugement multicritère, en partie qualitatif et participatif, porté critère par critère (insuffisant, fragile, satisfaisant, remarquable).",
            "en": "A multi-criteria, partly qualitative and participatory judgement given criterion by criterion (insufficient, fragile, satisfactory, outstanding).",
        },
    ),
    (
        {"fr": "Impact social", "en": "Social impact"},
        {
            "fr": "Effet contrefactuel estimé (ce qui aurait changé sans le dispositif), parfois converti en euros par le SROI.",
            "en": "An estimated counterfactual effect (what would have been different without the programme), sometimes converted into money by the SROI.",
        },
    ),
    (
        {"fr": "SROI", "en": "SROI"},
        {
            "fr": "Retour social sur investissement : valeur actualisée des résultats monétisés rapportée aux ressources engagées.",
            "en": "Social return on investment: the present value of the monetised outcomes divided by the resources used.",
        },
    ),
    (
        {"fr": "Méta-analyse à effets aléatoires", "en": "Random-effects meta-analysis"},
        {
            "fr": "Moyenne pondérée d'un même effet estimé dans plusieurs sites, qui admet que l'effet vrai varie d'un site à l'autre.",
            "en": "A weighted average of one effect estimated in several sites, allowing the true effect to vary between sites.",
        },
    ),
    (
        {"fr": "τ² et I²", "en": "τ² and I²"},
        {
            "fr": "τ² : variance des effets vrais entre sites ; I² : part de la variabilité observée due à ces différences plutôt qu'au hasard.",
            "en": "τ²: the variance of the true effects between sites; I²: the share of the observed variability due to these differences rather than to chance.",
        },
    ),
    (
        {"fr": "Intervalle de prédiction", "en": "Prediction interval"},
        {
            "fr": "Plage où l'on attend l'effet vrai d'un nouveau site comparable.",
            "en": "The range in which the true effect of a new, comparable site is expected.",
        },
    ),
    (
        {"fr": "Dominance", "en": "Dominance"},
        {
            "fr": "Une exécution en domine une autre si elle est au moins aussi bien appréciée sur chaque critère et mieux sur l'un d'eux ; on ne fait pas la somme des critères.",
            "en": "A run dominates another when it is judged at least as well on every criterion and better on one; criteria are not added up.",
        },
    ),
    (
        {"fr": "τ-b de Kendall", "en": "Kendall's τ-b"},
        {
            "fr": "Accord entre deux classements, de −1 (inversés) à 1 (identiques), corrigé des ex æquo.",
            "en": "Agreement between two rankings, from −1 (reversed) to 1 (identical), corrected for ties.",
        },
    ),
    (
        {"fr": "Secret statistique", "en": "Statistical confidentiality"},
        {
            "fr": "Un chiffre portant sur trop peu de personnes, ou qui permettrait de les retrouver par soustraction, est masqué.",
            "en": "A figure about too few people, or one that would let them be found by subtraction, is suppressed.",
        },
    ),
]

METHODS_TEXT = {
    "fr": "Évolutions : test z de deux proportions à partir des effectifs, sinon différence d'estimations indépendantes (erreur type √(se₁² + se₂²), chaque se tirée de l'IC 95 %). Méta-analyse : DerSimonian–Laird et Paule–Mandel (statsmodels), REML ; intervalles normaux ; I² = τ²/(τ² + s²). Classements : dominance de Pareto sur les appréciations ; rangs d'impact par tirages Monte-Carlo ; τ-b de Kendall avec IC par transformation z de Fisher (erreur type √(0,437/(n − 4))), ρ de Spearman (Bonett–Wright). Consolidation : effectifs additionnés, proportions regroupées à partir des effectifs (intervalle de Wilson), secret statistique réappliqué.",
    "en": "Changes: two-proportion z test from the counts, otherwise the difference of independent estimates (SE √(se₁² + se₂²), each se taken from the 95% CI). Meta-analysis: DerSimonian–Laird and Paule–Mandel (statsmodels), REML; normal intervals; I² = τ²/(τ² + s²). Rankings: Pareto dominance on verdicts; impact ranks by Monte Carlo draws; Kendall's τ-b with a Fisher-z CI (SE √(0.437/(n − 4))), Spearman's ρ (Bonett–Wright). Consolidation: counts summed, proportions pooled from counts (Wilson interval), privacy rule applied again.",
}


def w(lang: str, key: str) -> str:
    return WORDS[key][lang]
