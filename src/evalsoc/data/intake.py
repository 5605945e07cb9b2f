"""Every source of a framework, read, prepared and validated, then the sources built from
others (join, stack, wide_to_long) in the order they depend on each other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evalsoc.errors import DataReadError, FrameworkError


def load_sources(framework: Any, progress: Callable[[str], None]) -> tuple[dict, dict, dict]:
    """(clean frames, reports, quarantine tables), each by source name."""
    from evalsoc.data.combine import build_derived
    from evalsoc.data.prepare import prepare
    from evalsoc.data.read import read_table
    from evalsoc.data.validate import validate_source
    from evalsoc.framework.positions import position_of

    frames, reports, quarantines = {}, {}, {}
    for name, source in framework.data.items():
        if source.derived:
            continue
        progress(f"reading {name} ({source.file})")
        try:
            raw, info = read_table(source, framework.base_dir)
            progress(f"validating {name}: {info.rows_read} rows")
            prepared = prepare(source, raw, info)
            clean, report, quarantine = validate_source(
                name, source, prepared.frame, info, prepared
            )
        except DataReadError as exc:  # say which declaration of the framework it comes from
            where = position_of(framework, ("data", name, "file"))
            raise exc.located(where) from None
        frames[name], reports[name], quarantines[name] = clean, report, quarantine
    for name in derived_order(framework):
        progress(f"building {name}")
        frames[name], reports[name], quarantines[name] = build_derived(
            name, framework.data[name], frames, reports
        )
    return frames, reports, quarantines


def inputs_of(source: Any) -> list[str]:
    if source.join:
        return [source.join.left, source.join.right]
    if source.stack:
        return list(source.stack.sources)
    if source.wide_to_long:
        return [source.wide_to_long.source]
    return []


def derived_order(framework: Any) -> list[str]:
    """Derived sources after the sources they read; unknown names and cycles are errors."""
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise FrameworkError("data_sources_cycle", path=" → ".join(path))
        state[name] = "visiting"
        for dep in inputs_of(framework.data[name]):
            if dep not in framework.data:
                known = ", ".join(framework.data)
                raise FrameworkError(
                    "data_source_reads_undeclared", source=repr(name), other=repr(dep), known=known
                )
            visit(dep, [*path, dep])
        state[name] = "done"
        if framework.data[name].derived:
            order.append(name)

    for name in framework.data:
        visit(name, [name])
    return order
