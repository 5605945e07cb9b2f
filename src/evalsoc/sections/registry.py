"""The one list of analysis sections that the pipeline, validation, results.json and the report
loop over. A section is a descriptor: where its config lives, what computes it, what it reads
from earlier sections, which framework entries name data columns, and how the report shows it.

Adding a section = one `Section(...)` line here plus its own modules; nothing else keeps a list.
Modules are named, not imported, so that `evalsoc --help` and `validate` stay light; an import
failure when a section runs is an internal error (exit 3), never a section silently skipped.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

Loc = tuple[str | int, ...]
# (key path, config entry, its default data source or None when the entry names its own `data`)
Entries = Iterator[tuple[Loc, BaseModel, str | None]]


def _entries_of_list(key: str) -> Callable[[Any], Entries]:
    def entries(framework: Any) -> Entries:
        for i, spec in enumerate(getattr(framework, key) or []):
            yield (key, i), spec, None

    return entries


def _entry_of_block(key: str) -> Callable[[Any], Entries]:
    def entries(framework: Any) -> Entries:
        spec = getattr(framework, key)
        if spec is not None and getattr(spec, "data", None):
            yield (key,), spec, None

    return entries


def _qualitative_indicators(framework: Any) -> Entries:
    """Rubric and themes sub-configs, which name columns of their judgements/coding table."""
    from evalsoc.framework.references import indicator_source

    for di, dim in enumerate(framework.dimensions):
        for ci, crit in enumerate(dim.criteria):
            for ii, ind in enumerate(crit.indicators):
                if ind.kind in ("rubric", "themes") and ind.args is not None:
                    loc = ("dimensions", di, "criteria", ci, "indicators", ii, ind.kind)
                    yield loc, ind.args, indicator_source(framework, ind)


def _no_entries(framework: Any) -> Entries:
    return iter(())


def _coconstruction(framework: Any) -> Any:
    from evalsoc.sections.criteria.coconstruction import recorded

    return recorded(framework)


def _whole_framework(framework: Any) -> Any:
    return framework


@dataclass(frozen=True)
class Section:
    """One analysis section.

    key: its key in results.json (and, by default, the Framework attribute holding its config).
    compute: "module:function", called as function(specs, ctx) → the section's results.
    specs: what `compute` receives (default: the framework attribute named `key`).
    needs: sections whose results `compute` reads (they run first).
    outputs: the results.json keys it fills (criteria also fills dimensions and synthesis).
    entries: the config entries that name data columns, with their key paths (validation).
    """

    key: str
    compute: str
    needs: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()
    specs: Callable[[Any], Any] | None = None
    entries: Callable[[Any], Entries] = _no_entries
    always: bool = False  # computed even when the framework declares nothing for it
    render: str | None = None  # module whose render(section, framework, lang) makes its HTML
    anchor: str = ""  # its anchor (and title key) in the report
    report_rank: int = 0  # its place among the report's sections
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def render_module(self) -> str:
        return self.render or ""

    @property
    def result_keys(self) -> tuple[str, ...]:
        return self.outputs or (self.key,)

    def specs_of(self, framework: Any) -> Any:
        return self.specs(framework) if self.specs else getattr(framework, self.key)

    def compute_function(self) -> Callable[[Any, Any], Any]:
        """The compute function; an ImportError propagates (a broken install is a bug)."""
        module, _, name = self.compute.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


# In results.json order. Computation follows `needs` (see `compute_order`).
SECTIONS: tuple[Section, ...] = (
    Section(
        "indicators",
        "evalsoc.pipeline:compute_indicators",
        specs=_whole_framework,
        entries=_qualitative_indicators,
        always=True,
        render="evalsoc.sections.qualitative.render",
        anchor="utility",
        report_rank=3,
    ),
    Section(
        "criteria",
        "evalsoc.sections.criteria.compute:compute",
        needs=(
            "indicators",
            "effects",
            "capabilities",
            "volunteering",
            "sroi",
            "resources",
            "costs",
            "valuation",
            "co_construction",
        ),
        outputs=("criteria", "dimensions", "synthesis"),
        specs=_whole_framework,
        always=True,
        render="evalsoc.sections.criteria.render",
        anchor="profile",
        report_rank=0,
    ),
    Section(
        "effects",
        "evalsoc.sections.effects.compute:compute",
        needs=("capabilities",),
        entries=_entries_of_list("effects"),
        render="evalsoc.sections.effects.render",
        anchor="effects",
        report_rank=1,
    ),
    Section(
        "capabilities",
        "evalsoc.sections.capabilities.compute:compute_all",
        entries=_entries_of_list("capabilities"),
        render="evalsoc.sections.capabilities.render",
        anchor="capabilities",
        report_rank=2,
    ),
    Section(
        "volunteering",
        "evalsoc.sections.volunteering.compute:compute",
        entries=_entry_of_block("volunteering"),
        render="evalsoc.sections.volunteering.render",
        anchor="volunteering",
        report_rank=4,
    ),
    Section(
        "sroi",
        "evalsoc.sections.sroi.compute:compute",
        needs=("indicators", "effects", "capabilities", "volunteering", "valuation"),
        render="evalsoc.sections.sroi.render",
        anchor="sroi",
        report_rank=5,
    ),
    Section(
        "resources",
        "evalsoc.sections.resources.compute:compute",
        needs=("volunteering",),
        entries=_entry_of_block("resources"),
        render="evalsoc.sections.resources.render",
        anchor="resources",
        report_rank=7,
    ),
    Section(
        "costs",
        "evalsoc.sections.costs.compute:compute",
        needs=("indicators", "effects", "resources"),
        render="evalsoc.sections.costs.render",
        anchor="costs",
        report_rank=8,
    ),
    Section(
        "co_construction",
        "evalsoc.sections.criteria.coconstruction:compute",
        specs=_coconstruction,
    ),
    Section(
        "valuation",
        "evalsoc.sections.criteria.elicitation:compute",
        render="evalsoc.sections.criteria.elicitation_render",
        anchor="valuation",
        report_rank=6,
    ),
)

BY_KEY: dict[str, Section] = {section.key: section for section in SECTIONS}


def compute_order(sections: tuple[Section, ...] = SECTIONS) -> list[Section]:
    """Sections sorted so that each runs after the sections it needs (stable otherwise)."""
    by_key = {s.key: s for s in sections}
    done: dict[str, Section] = {}
    visiting: set[str] = set()

    def visit(section: Section) -> None:
        if section.key in done:
            return
        if section.key in visiting:
            raise RuntimeError(f"sections depend on each other in a circle at {section.key!r}")
        visiting.add(section.key)
        for need in section.needs:
            if need not in by_key:
                raise RuntimeError(f"section {section.key!r} needs unknown section {need!r}")
            visit(by_key[need])
        visiting.discard(section.key)
        done[section.key] = section

    for section in sections:
        visit(section)
    return list(done.values())


def result_keys() -> list[str]:
    """The results.json keys the sections fill, in order."""
    return [key for section in SECTIONS for key in section.result_keys]


def report_sections() -> list[Section]:
    """Sections with a report fragment, in the report's order."""
    return sorted((s for s in SECTIONS if s.render), key=lambda s: s.report_rank)
