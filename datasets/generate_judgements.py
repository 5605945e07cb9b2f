"""Seeded rubric judgements from several stakeholder groups, for the example frameworks.

Each criterion has a latent quality; each role a leniency (bias) and each rater their own; a
judgement is the latent sum plus noise cut into the four rubric levels. Some raters say the
evidence is insufficient. The true median level of each criterion is therefore known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LEVELS = ("insuffisant", "fragile", "satisfaisant", "remarquable")
INSUFFICIENT = "preuves_insuffisantes"
CUTS = (-0.5, 0.5, 1.5)  # latent score → level boundaries

_EVIDENCE = {
    "insuffisant": "Peu d'éléments concrets sur « {c} » ; les situations décrites restent rares.",
    "fragile": "Des progrès sur « {c} », mais irréguliers selon les périodes et les équipes.",
    "satisfaisant": "Sur « {c} », les exemples cités sont nombreux et cohérents entre eux.",
    "remarquable": "« {c} » : des changements nets, durables, relevés par plusieurs personnes.",
    INSUFFICIENT: "Je ne dispose pas d'assez d'éléments pour juger « {c} ».",
}


def generate_judgements(
    rng: np.random.Generator,
    criteria: list[str],
    n_raters_per_role: dict[str, int],
    *,
    quality: dict[str, float] | None = None,
    role_bias: dict[str, float] | None = None,
    rater_sd: float = 0.3,
    noise_sd: float = 0.4,
    insufficient_share: float = 0.05,
    evidence_share: float = 0.6,
) -> pd.DataFrame:
    """One row per rater × criterion: rater, role, criterion, level, evidence.

    `quality` is each criterion's latent score (default drawn uniformly in [−0.5, 2]); levels
    cut the latent score + role bias + rater leniency + noise at −0.5, 0.5 and 1.5.
    """
    quality = quality or {c: float(rng.uniform(-0.5, 2.0)) for c in criteria}
    role_bias = role_bias or {r: float(rng.normal(0, 0.3)) for r in n_raters_per_role}
    raters = [
        (f"{role}_{i + 1:02d}", role) for role, n in n_raters_per_role.items() for i in range(n)
    ]
    n_raters, n_criteria = len(raters), len(criteria)
    leniency = rng.normal(0, rater_sd, size=n_raters)
    bias = np.array([role_bias.get(role, 0.0) for _, role in raters])
    latent = (
        np.array([quality[c] for c in criteria])[None, :]
        + (bias + leniency)[:, None]
        + rng.normal(0, noise_sd, size=(n_raters, n_criteria))
    )
    levels = np.asarray(LEVELS, dtype=object)[np.searchsorted(CUTS, latent)]
    levels[rng.random((n_raters, n_criteria)) < insufficient_share] = INSUFFICIENT
    has_text = rng.random((n_raters, n_criteria)) < evidence_share
    evidence = np.where(
        has_text,
        np.vectorize(lambda lv, c: _EVIDENCE[lv].format(c=c.replace("_", " ")), otypes=[object])(
            levels, np.broadcast_to(np.asarray(criteria, dtype=object), levels.shape)
        ),
        "",
    )
    return pd.DataFrame(
        {
            "rater": np.repeat([r for r, _ in raters], n_criteria),
            "role": np.repeat([role for _, role in raters], n_criteria),
            "criterion": np.tile(np.asarray(criteria, dtype=object), n_raters),
            "level": levels.ravel(),
            "evidence": evidence.ravel(),
        }
    )
