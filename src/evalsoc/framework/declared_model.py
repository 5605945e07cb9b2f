"""The Framework class that validates one file: only the sections it declares are built
(framework/section_models.py says why; issue 16, start-up)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from pydantic import Field, create_model

from evalsoc.framework.model import Framework
from evalsoc.framework.section_models import LAZY_SECTIONS, LIST_SECTIONS


def framework_model(keys: Iterable[str]) -> Any:
    """The Framework class that validates a file whose top-level keys are `keys`."""
    return _framework_model(frozenset(keys) & frozenset(LAZY_SECTIONS))


@functools.cache
def _framework_model(declared: frozenset[str]) -> Any:
    if declared == frozenset(LAZY_SECTIONS):
        return Framework
    absent: dict[str, Any] = {
        key: (list[Any], Field(default_factory=list)) if key in LIST_SECTIONS else (None, None)
        for key in LAZY_SECTIONS
        if key not in declared
    }
    model: Any = create_model(
        "Framework", __base__=Framework, __module__=Framework.__module__, **absent
    )
    model.__qualname__ = Framework.__qualname__
    model.declared_sections = declared
    return model
