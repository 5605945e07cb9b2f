"""The one wording of a reference to an id the framework does not declare, shared by the
framework's reference check and the sections' own checks (costs, resources) without their
importing each other."""

from __future__ import annotations

from evalsoc.errors import FrameworkError, did_you_mean

UNKNOWN_CODES = {
    "indicator": "unknown_indicator",
    "effect": "unknown_effect",
    "capability": "unknown_capability",
    "criterion": "unknown_criterion",
}


def unknown_ref(kind: str, ref: str, ids: list[str]) -> FrameworkError:
    """`unknown indicator 'x'; did you mean 'y'?` for an id the framework does not declare."""
    code = UNKNOWN_CODES[kind]
    return FrameworkError(code, ref=repr(ref), hint=did_you_mean(ref, ids))
