"""The effect designs: one module each, one `DesignEntry` line each in `DESIGNS`.

A line names the design's module and estimate function, the method's name in French and
English (the report's effects table), the keys the design needs (checked when the framework is
read), and optionally the function of its module that words the plain sentence
(`sentence(result, spec, binary, lang) -> str`; without one, the shared sentences of
`sentences.py` are used). The config's `design:` values, the dispatcher and the report all read
this one list, so adding a design is its module, its line here, its wording and its tests
(`tests/sections/effects/test_new_design.py` shows it with a throwaway design).

Only the standard library here: the CLI imports this at start-up (through the config).
"""

from __future__ import annotations

from dataclasses import dataclass

TREATMENT = ("treatment", "the column or condition that marks the programme group")


@dataclass(frozen=True)
class DesignEntry:
    """Where a design lives and how the framework and the report name it."""

    module: str
    function: str
    name: dict[str, str]  # {"fr": ..., "en": ...}
    requires: tuple[tuple[str, str], ...] = ()  # (key, what it means) when missing
    sentence: str | None = None  # a function of `module` wording the plain sentence


_PACKAGE = "evalsoc.sections.effects.designs"

DESIGNS: dict[str, DesignEntry] = {
    "difference": DesignEntry(
        f"{_PACKAGE}.difference",
        "estimate_difference",
        {"fr": "différence entre groupes", "en": "difference between groups"},
        (TREATMENT,),
    ),
    "pre_post": DesignEntry(
        f"{_PACKAGE}.prepost",
        "estimate_pre_post",
        {"fr": "avant / après", "en": "before / after"},
    ),
    "did": DesignEntry(
        f"{_PACKAGE}.did",
        "estimate_did",
        {"fr": "différence de différences", "en": "difference-in-differences"},
        (TREATMENT, ("post", "the condition that marks the period after the programme started")),
    ),
    "staggered_did": DesignEntry(
        f"{_PACKAGE}.staggered",
        "estimate_staggered_did",
        {
            "fr": "différence de différences échelonnée",
            "en": "staggered difference-in-differences",
        },
        (
            ("unit", "the column identifying each unit followed over time"),
            ("time", "the column giving the period"),
            (
                "first_treated",
                "the column giving each unit's first treated period (0 if never)",
            ),
        ),
    ),
    "ipw": DesignEntry(
        f"{_PACKAGE}.selection",
        "estimate_selection",
        {"fr": "pondération par le score de propension", "en": "inverse probability weighting"},
        (TREATMENT,),
    ),
    "aipw": DesignEntry(
        f"{_PACKAGE}.selection",
        "estimate_selection",
        {"fr": "pondération doublement robuste", "en": "doubly robust weighting"},
        (TREATMENT,),
    ),
    "ra": DesignEntry(
        f"{_PACKAGE}.selection",
        "estimate_selection",
        {"fr": "ajustement par régression", "en": "regression adjustment"},
        (TREATMENT,),
    ),
    "regression": DesignEntry(
        f"{_PACKAGE}.regression",
        "estimate_regression",
        {"fr": "régression", "en": "regression"},
        (
            ("formula", "the regression formula, e.g. 'y ~ treat + age'"),
            ("term", "the coefficient to report, e.g. 'treat'"),
        ),
    ),
    "iv": DesignEntry(
        f"{_PACKAGE}.iv",
        "estimate_iv",
        {"fr": "variables instrumentales", "en": "instrumental variables"},
        (("instruments", "the instrument column(s), e.g. [offer]"),),
    ),
    "rd": DesignEntry(
        f"{_PACKAGE}.rd",
        "estimate_rd",
        {"fr": "régression sur discontinuité", "en": "regression discontinuity"},
        (
            ("running", "the running variable whose threshold decides who takes part"),
            ("cutoff", "the threshold of the running variable"),
        ),
    ),
    "matching": DesignEntry(
        f"{_PACKAGE}.matching",
        "estimate_matching",
        {"fr": "appariement", "en": "matching"},
        (TREATMENT,),
    ),
}


def register(name: str, design: DesignEntry) -> None:
    """Add a design (a plug-in, or a test's throwaway one) before the framework model is
    imported: the config's `design:` values are read from this list when it is built."""
    if name in DESIGNS:
        raise ValueError(f"effect design {name!r} is already registered")
    DESIGNS[name] = design


def design_name(design: str, lang: str) -> str:
    """The method's name in `lang` (the code itself for a design no line names)."""
    entry = DESIGNS.get(design)
    return entry.name[lang] if entry is not None else design
