"""The judgements and themes section's fixed words, in French and English (one table per
language, the same keys)."""

from __future__ import annotations

TEXT = {
    "fr": {
        "title": "Jugements des parties prenantes",
        "overall": "Ensemble",
        "median": "Niveau médian",
        "share": "Part des jugements au niveau « {level} » ou au-dessus",
        "judgements": "{n} jugements de {raters} évaluateurs ({insufficient})",
        "judgements_hidden_raters": "{n} jugements (nombre d'évaluateurs masqué par le secret "
        "statistique ; {insufficient})",
        "insufficient": "{k} « preuves insuffisantes », non comptés",
        "insufficient_hidden": "« preuves insuffisantes » non comptées, leur nombre masqué par "
        "le secret statistique",
        "served": "Personnes accompagnées : {n} évaluateurs, {share} des jugements.",
        "served_missing": "Participation des personnes accompagnées non renseignée "
        "(déclarer people_served_roles).",
        "alpha": "Accord entre évaluateurs (α de Krippendorff, ordinal) : {alpha} "
        "(IC 95 % {low} à {high}, bootstrap sur {units} unités : {scope}).",
        "alpha_no_ci": "Accord entre évaluateurs (α de Krippendorff, ordinal) : {alpha} "
        "({units} unités : {scope}).",
        "alpha_weak": "Accord faible (α < {min}) : les conclusions tirées de ces jugements "
        "restent fragiles.",
        "alpha_none": "Accord entre évaluateurs non calculé : {reason}.",
        "scope_rows": "les lignes de l'indicateur",
        "scope_source": "tous les critères jugés dans la même table",
        "role": "Groupe",
        "raters": "Évaluateurs",
        "suppressed": "masqué (moins de {min} évaluateurs ou protection d'un petit groupe)",
        "suppressed_sources": "masqué (moins de {min} sources ou protection d'un petit groupe)",
        "rough": "Avec moins de 10 unités, l'intervalle bootstrap est approximatif.",
        "whole_suppressed": "Résultats masqués : {reason}.",
        "disagree": "Groupes les plus en désaccord : « {a} » (médiane {ma}) et « {b} » (médiane "
        "{mb}), delta de Cliff = {delta}.",
        "quotes": "Extraits des preuves citées",
        "quotes_hidden": "Les extraits de preuves ne sont pas publiés (report.publish_quotes : "
        "false).",
        "level": "Niveau",
        "quote": "Extrait",
        "themes": "Thèmes codés",
        "code": "Thème",
        "sources": "Sources",
        "share_sources": "Part des sources",
        "segments": "Passages",
        "cooccurrence": "Co-occurrences (nombre de sources citant les deux thèmes)",
        "by_role": "Par groupe (nombre de sources citant le thème)",
        "n_sources": "{n} sources codées, {segments} passages.",
        "chart": "Répartition des niveaux par groupe",
        "served_suppressed": "Participation des personnes accompagnées masquée (moins de {min} "
        "évaluateurs, ou elle révélerait un groupe masqué).",
        "cell_hidden": "masqué",
        "cells_hidden_note": "« masqué » : compté sur moins de {min} sources, ou masqué pour "
        "qu'un total publié ne redonne pas une petite case.",
    },
    "en": {
        "title": "Stakeholders' judgements",
        "overall": "All",
        "median": "Median level",
        "share": "Share of judgements at '{level}' or above",
        "judgements": "{n} judgements by {raters} raters ({insufficient})",
        "judgements_hidden_raters": "{n} judgements (number of raters hidden by the privacy "
        "rule; {insufficient})",
        "insufficient": "{k} 'insufficient evidence', not counted",
        "insufficient_hidden": "'insufficient evidence' not counted, their number hidden by "
        "the privacy rule",
        "served": "People served: {n} raters, {share} of the judgements.",
        "served_missing": "Participation of the people served not reported "
        "(declare people_served_roles).",
        "alpha": "Agreement between raters (Krippendorff's α, ordinal): {alpha} "
        "(95% CI {low} to {high}, bootstrap over {units} units: {scope}).",
        "alpha_no_ci": "Agreement between raters (Krippendorff's α, ordinal): {alpha} "
        "({units} units: {scope}).",
        "alpha_weak": "Weak agreement (α < {min}): conclusions drawn from these judgements "
        "remain tentative.",
        "alpha_none": "Agreement between raters not computed: {reason}.",
        "scope_rows": "the indicator's rows",
        "scope_source": "all criteria rated in the same table",
        "role": "Group",
        "raters": "Raters",
        "suppressed": "suppressed (fewer than {min} raters, or protecting a small group)",
        "suppressed_sources": "suppressed (fewer than {min} sources, or protecting a small group)",
        "rough": "With fewer than 10 units, the bootstrap interval is rough.",
        "whole_suppressed": "Results suppressed: {reason}.",
        "disagree": "Groups that disagree most: '{a}' (median {ma}) and '{b}' (median {mb}), "
        "Cliff's delta = {delta}.",
        "quotes": "Excerpts of the evidence cited",
        "quotes_hidden": "Evidence excerpts are not published (report.publish_quotes: false).",
        "level": "Level",
        "quote": "Excerpt",
        "themes": "Coded themes",
        "code": "Theme",
        "sources": "Sources",
        "share_sources": "Share of sources",
        "segments": "Segments",
        "cooccurrence": "Co-occurrences (number of sources citing both themes)",
        "by_role": "By group (number of sources citing the theme)",
        "n_sources": "{n} coded sources, {segments} segments.",
        "chart": "Distribution of levels by group",
        "served_suppressed": "Participation of the people served suppressed (fewer than {min} "
        "raters, or it would reveal a suppressed group).",
        "cell_hidden": "suppressed",
        "cells_hidden_note": "'suppressed': counted on fewer than {min} sources, or hidden so "
        "that a published total does not give a small cell back.",
    },
}
