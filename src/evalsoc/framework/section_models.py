"""The section config models a framework file declares, built only when it declares them.

Building a pydantic model's validator costs time (issue 16, start-up: about 0.2 s of CPU for all
the sections' configs, in every `evalsoc validate` and `run`). `Framework` names the config
classes of the optional sections below without importing them; a file is validated by a
subclass, `declared_model.framework_model(keys)`, whose absent sections are plain defaults (an
empty list, or None), so only the declared sections' modules are imported and their schemas
built. The subclass has the same fields, defaults, validators and name, so a file's errors and
values are those of the full `Framework` (tests/framework/test_section_models.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

# Framework key → (module, config class). These keys hold a list (empty by default) or a block
# (None by default); `LIST_SECTIONS` are the lists.
LAZY_SECTIONS: dict[str, tuple[str, str]] = {
    "effects": ("evalsoc.sections.effects.config", "EffectSpec"),
    "capabilities": ("evalsoc.sections.capabilities.config", "CapabilitySpec"),
    "sroi": ("evalsoc.sections.sroi.config", "SroiSpec"),
    "volunteering": ("evalsoc.sections.volunteering.config", "VolunteeringSpec"),
    "resources": ("evalsoc.sections.resources.config", "ResourcesSpec"),
    "costs": ("evalsoc.sections.costs.config", "CostsSpec"),
    "valuation": ("evalsoc.sections.criteria.elicitation_config", "ValuationSpec"),
    "narrative": ("evalsoc.framework.narrative", "NarrativeSpec"),
}
LIST_SECTIONS = frozenset({"effects", "capabilities"})


def section_types(keys: Iterable[str]) -> dict[str, Any]:
    """{class name: class} of these sections' configs (an ImportError propagates: a bug)."""
    found: dict[str, Any] = {}
    for key in keys:
        module, name = LAZY_SECTIONS[key]
        found[name] = getattr(importlib.import_module(module), name)
    return found
