"""Helpers shared by the template generators: French CSV bytes, truth.json, Likert answers,
stakeholders' rubric judgements."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

LEVELS = ("insuffisant", "fragile", "satisfaisant", "remarquable")
INSUFFICIENT = "preuves_insuffisantes"
CUTS = (-0.5, 0.5, 1.5)  # latent score → rubric level boundaries

_EVIDENCE = {
    "insuffisant": "Peu d'éléments concrets sur « {c} » ; les situations décrites restent rares.",
    "fragile": "Des progrès sur « {c} », mais irréguliers selon les périodes et les équipes.",
    "satisfaisant": "Sur « {c} », les exemples cités sont nombreux et cohérents entre eux.",
    "remarquable": "« {c} » : des changements nets, durables, relevés par plusieurs personnes.",
    INSUFFICIENT: "Je ne dispose pas d'assez d'éléments pour juger « {c} ».",
}


def french_csv(frame: pd.DataFrame, encoding: str = "utf-8") -> bytes:
    """The table as Excel (French locale) saves 'CSV (séparateur : point-virgule)': `;`,
    decimal comma, CRLF. Floats are written with `repr` so that the bytes never depend on
    pandas' float formatting."""

    def french(value: object) -> object:
        if isinstance(value, float):
            return repr(value).replace(".", ",")
        return value

    text: str = frame.apply(lambda col: col.map(french)).to_csv(
        sep=";", index=False, lineterminator="\r\n"
    )
    return text.encode(encoding)


def truth_json(facts: dict[str, Any]) -> bytes:
    """truth.json: indented, UTF-8, keys in the order the generator wrote them."""
    return (json.dumps(facts, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def likert(
    latent: np.ndarray, rng: np.random.Generator, cuts: tuple[float, ...] = (-1.2, -0.4, 0.4, 1.2)
) -> np.ndarray:
    """Answers 1..5 from a latent score plus noise, cut at `cuts`."""
    noisy = latent + rng.normal(0, 0.7, latent.shape)
    return 1 + np.searchsorted(np.asarray(cuts), noisy)


def oui_non(flags: np.ndarray) -> np.ndarray:
    """Booleans as a French export writes them."""
    return np.where(flags, "oui", "non")


def judgements(
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

    `quality` is each criterion's latent score; a judgement is that score + the role's bias +
    the rater's leniency + noise, cut into the four rubric levels at −0.5, 0.5 and 1.5; a share
    of raters say the evidence is insufficient. (The algorithm of datasets/generate_judgements.py,
    so that the demo and the templates simulate judgements alike.)
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


def expected_level(latent: float) -> str:
    """The rubric level a criterion's latent quality falls in (no rater bias nor noise)."""
    return LEVELS[int(np.searchsorted(CUTS, latent))]
