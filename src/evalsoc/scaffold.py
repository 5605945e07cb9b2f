"""`evalsoc init`: copy a template's framework and README into a folder and write its seeded
data there (data files and truth.json, from `evalsoc.generators.<module>`)."""

from __future__ import annotations

import difflib
import importlib
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from evalsoc.errors import FrameworkError, either


@dataclass(frozen=True)
class Template:
    """A template: its one-line description in French and English, and its generator module."""

    fr: str
    en: str
    generator: str


TEMPLATES = {
    "centre-social": Template(
        fr="centre social : lien social, pouvoir d'agir collectif, participation aux décisions, "
        "initiatives d'habitants",
        en="community centre (centre social): social ties, collective empowerment, "
        "participation in decisions, residents' initiatives",
        generator="centre_social",
    ),
    "tiers-lieu": Template(
        fr="tiers-lieu : mixité des usagers, ressources partagées, coopérations entre structures",
        en="third place (tiers-lieu): mixed users, shared resources, cooperation between "
        "organisations",
        generator="tiers_lieu",
    ),
    "tzcld": Template(
        fr="Territoire zéro chômeur de longue durée : emplois créés, sorties de la privation "
        "d'emploi, coût par emploi, non-concurrence",
        en="Zero long-term unemployment territory (TZCLD): jobs created, exits from long-term "
        "unemployment, cost per job, non-competition",
        generator="tzcld",
    ),
    "aci": Template(
        fr="atelier et chantier d'insertion (la démo) : emploi, effet contrefactuel, pouvoir "
        "d'agir, SROI",
        en="integration worksite (ACI, the demo): employment, counterfactual effect, "
        "empowerment, SROI",
        generator="aci",
    ),
    "ess-utilite-sociale": Template(
        fr="utilité sociale au sens de l'article 2 de la loi ESS de 2014 (base de l'agrément ESUS)",
        en="social utility as defined by article 2 of the 2014 French ESS law (the basis of "
        "the ESUS approval)",
        generator="ess_utilite_sociale",
    ),
}
STATIC_FILES = ("framework.yaml", "README.md")


def user_language(explicit: str | None = None) -> str:
    """`fr` or `en`: the option given, else the locale of the environment (LC_ALL,
    LC_MESSAGES, LANG, as gettext reads them), else English."""
    if explicit:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "fr" if value.lower().startswith("fr") else "en"
    return "en"


def describe(lang: str) -> list[str]:
    """One line per template: its name and description in `lang`."""
    return [f"{name}: {getattr(t, lang)}" for name, t in TEMPLATES.items()]


def template_files(template: str, seed: int | None = None) -> dict[str, bytes]:
    """Every file `init` writes for TEMPLATE: the framework, the README, the generated data and
    truth.json (the generator's default seed unless `seed` is given)."""
    if template not in TEMPLATES:
        near = difflib.get_close_matches(template, list(TEMPLATES), n=1)
        hint = (
            either(f" ; vouliez-vous dire {near[0]!r} ?", f"; did you mean {near[0]!r}?")
            if near
            else either("", "")
        )
        raise FrameworkError(
            "template_unknown", template=repr(template), hint=hint, known=", ".join(TEMPLATES)
        )
    source = resources.files("evalsoc").joinpath("templates", template)
    files = {name: source.joinpath(name).read_bytes() for name in STATIC_FILES}
    module = importlib.import_module(f"evalsoc.generators.{TEMPLATES[template].generator}")
    generated: dict[str, bytes] = module.generate(module.SEED if seed is None else seed)
    overlap = set(files) & set(generated)
    if overlap:  # a packaging mistake, not a user's
        raise RuntimeError(f"template {template}: generated files {overlap} clash with static ones")
    return files | generated


def scaffold(directory: Path, template: str, seed: int | None = None) -> Path:
    """Create DIRECTORY with the template's files; refuse before writing anything if one of
    them exists already (init never overwrites a file)."""
    files = template_files(template, seed)
    if directory.exists() and not directory.is_dir():
        raise FrameworkError("init_path_is_file", path=directory)
    clashes = sorted(name for name in files if (directory / name).exists())
    if clashes:
        raise FrameworkError("init_would_overwrite", at=str(directory), files=", ".join(clashes))
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        try:
            with open(directory / name, "xb") as handle:  # "x": fail rather than replace
                handle.write(content)
        except FileExistsError:  # created by someone else meanwhile
            raise FrameworkError("init_file_appeared", path=directory / name) from None
    return directory / "framework.yaml"
