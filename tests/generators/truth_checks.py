"""What each template's run must recover from its generator's truth.json.

INTERVALS: (indicator id, path in truth.json): the true value must lie in the indicator's 95 %
interval. RUBRICS: (indicator id, criterion): the median level equals the level of the
criterion's latent quality. EFFECTS: (effect id, path): the effect's interval holds the truth.
With the templates' default seeds every check holds; with another seed a 95 % interval misses
its true value about one time in twenty, so the checks are run on the default seeds only.
COSTS: (ratio id, path of the true effect): the cost per additional outcome's interval holds
the cost at the true effect (the costed amount / (true effect × people treated)).
REGISTERS: the path of the volunteer register's truth (computed by the generator with plain
Python): `volunteering.reciprocity` equals it.
VALUATIONS: the templates whose stakeholders' rankings are drawn from a Plackett-Luce model:
each role's most weighted criterion is the one of highest expected rank-order-centroid weight
(computed exactly by the generator).
VALUED_VOLUNTEERING: (resources line id, path): the line's actual amount (the volunteering
section's valuation, `from_volunteering`) equals the generator's hours × the declared rate.
"""

from __future__ import annotations

from typing import Any

INTERVALS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "centre-social": [
        ("moins_seul", ("p_less_alone",)),
        ("nouveaux", ("p_first_visit",)),
        ("heures_moyennes", ("hours_mean",)),
        ("agir_ensemble", ("p_agree", "agir_ensemble")),
        ("agir_quartier", ("p_agree", "agir_quartier")),
        ("parole_comptee", ("p_agree", "parole_comptee")),
        ("initiative", ("p_initiative",)),
        ("initiatives_portees_habitants", ("p_led_by", "habitants")),
        ("initiatives_habitants_realisees", ("p_carried_out_by_leader", "habitants")),
        ("part_habitants_instances", ("residents_share_expected",)),
        ("siege_instance", ("p_decision_body",)),
    ],
    "tiers-lieu": [
        ("publics_non_professionnels", ("p_non_professional",)),
        ("rencontre_autre_profil", ("p_met_other_profile",)),
        ("ressources_mutualisees", ("p_resource_shared",)),
        ("structures_par_ressource", ("mean_structures_per_resource",)),
        ("cooperations_nouvelles", ("p_cooperation_new",)),
        ("usagers_cooperant", ("p_cooperated",)),
    ],
    "tzcld": [
        ("en_emploi_fin", ("p_in_work", "experimental_wave1")),
        ("en_emploi_fin_temoin", ("p_in_work", "temoin_wave1")),
        ("cout_par_etp", ("cost_per_fte_expected",)),
    ],
    "aci": [],
    "ess-utilite-sociale": [
        ("part_fragilite", ("p_fragile",)),
        ("nouveaux_liens", ("p_new_ties",)),
        ("territoires_prioritaires", ("p_priority_area",)),
        ("participation_decisions", ("p_decisions",)),
        ("ateliers_citoyennete", ("p_citizenship_activity",)),
        ("actions_impact_social", ("p_action_with_social_impact",)),
    ],
}
RUBRICS: dict[str, list[tuple[str, str]]] = {
    "centre-social": [
        ("jugement_pouvoir_agir", "pouvoir_agir_collectif"),
        ("jugement_participation", "participation_decisions"),
    ],
    "tiers-lieu": [
        ("jugement_gouvernance", "gouvernance_partagee"),
        ("jugement_ouverture", "ouverture_territoire"),
    ],
    "tzcld": [
        ("jugement_non_concurrence", "non_concurrence"),
        ("jugement_utilite", "utilite_travaux"),
        ("jugement_qualite", "qualite_emploi"),
    ],
    "aci": [],
    "ess-utilite-sociale": [
        ("jugement_fragilite", "soutien_fragilite"),
        ("jugement_lien", "lien_social"),
        ("jugement_citoyennete", "citoyennete"),
        ("jugement_durable", "developpement_durable"),
    ],
}
EFFECTS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "tzcld": [("effet_emploi", ("effect_in_work_did",))],
    "aci": [("effet_emploi", ("effect_employment_did",))],
}

COSTS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "aci": [("par_emploi_supplementaire", ("effect_employment_did",))],
    "tzcld": [("par_sortie_supplementaire", ("effect_in_work_did",))],
}
REGISTERS: dict[str, tuple[str, ...]] = {"aci": ("volunteer_register",)}
VALUATIONS: set[str] = {"centre-social"}
VALUED_VOLUNTEERING: dict[str, tuple[str, tuple[str, ...]]] = {
    "tiers-lieu": ("benevolat", ("volunteering", "value")),
}


def _register_misses(rec: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    found = []
    expected = {
        "volunteers": (rec["volunteers"], truth["volunteers"]),
        "served": (rec["served"]["count"], truth["served"]),
        "tenure_median_years": (rec["tenure"]["median_years"], truth["tenure_median_years"]),
        "tenure_one_year_or_more": (
            rec["tenure"]["share_one_year_or_more"],
            truth["tenure_one_year_or_more"] / truth["volunteers"],
        ),
    }
    roles = {r["role"]: r for r in rec["roles"]}
    for role, persons in truth["persons_by_role"].items():
        expected[f"persons {role}"] = (roles[role]["persons"], persons)
        expected[f"hours {role}"] = (roles[role]["hours"], truth["hours_by_role"][role])
    for what, (got, true) in expected.items():
        if abs(float(got) - float(true)) > 1e-9 * max(1.0, abs(float(true))):
            found.append(f"volunteer register {what}: {got}, truth {true}")
    return found


def _at(truth: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = truth
    for key in path:
        value = value[key]
    return float(value)


def misses(template: str, results: dict[str, Any], truth: dict[str, Any]) -> list[str]:
    """Every check of TEMPLATE that the run's results fail (empty when all hold)."""
    found = []
    for ident, path in INTERVALS.get(template, []):
        ind, true = results["indicators"][ident], _at(truth, path)
        if not ind["ci_low"] <= true <= ind["ci_high"]:
            found.append(f"{ident}: {true} outside [{ind['ci_low']}, {ind['ci_high']}]")
    for ident, criterion in RUBRICS.get(template, []):
        level = results["indicators"][ident]["median_level"]
        expected = truth["judgements"]["expected_level"][criterion]
        if level != expected:
            found.append(f"{ident}: median level {level}, expected {expected}")
    for ident, path in EFFECTS.get(template, []):
        eff, true = results["effects"][ident], _at(truth, path)
        if not eff["ci_low"] <= true <= eff["ci_high"]:
            found.append(f"{ident}: {true} outside [{eff['ci_low']}, {eff['ci_high']}]")
    for ident, path in COSTS.get(template, []):
        ratio = results["costs"]["ratios"][ident]
        at_truth = results["costs"]["cost"]["amount"] / (_at(truth, path) * ratio["treated"])
        if not ratio["ci_low"] <= at_truth <= ratio["ci_high"]:
            found.append(f"{ident}: {at_truth} outside [{ratio['ci_low']}, {ratio['ci_high']}]")
    if template in REGISTERS:
        register: Any = truth
        for key in REGISTERS[template]:
            register = register[key]
        found += _register_misses(results["volunteering"]["reciprocity"], register)
    if template in VALUATIONS:
        for role in results["valuation"]["by_role"]:
            weights = role["weights"]
            expected = truth["valuation"]["expected_roc_weight"][role["value"]]
            top, true_top = max(weights, key=weights.get), max(expected, key=expected.get)
            if top != true_top:
                found.append(f"valuation {role['value']}: first {top}, expected {true_top}")
    if template in VALUED_VOLUNTEERING:
        ident, path = VALUED_VOLUNTEERING[template]
        line = next(li for li in results["resources"]["lines"] if li["id"] == ident)
        actual, true = line["amounts"][-1]["actual"], _at(truth, path)
        if abs(actual - true) > 1e-6:
            found.append(f"resources {ident}: {actual}, truth {true}")
    return found
