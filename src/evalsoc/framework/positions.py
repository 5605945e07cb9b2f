"""Where a key of the framework sits in its YAML file: positions recorded by the loader, read
by every later stage that reports a problem (`file:line:col: key.path`). No YAML here, so that
sections can locate their messages without importing the loader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


def _fmt_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def _nearest_position(loc: Loc, positions: dict[Loc, Position]) -> Position | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in positions:
            return positions[loc[:cut]]
    return None


def position_of(framework: Any, loc: Loc) -> str:
    """'file:line:col: key.path' for messages raised after loading (e.g. unknown columns)."""
    positions: dict[Loc, Position] = getattr(framework, "_positions", {}) or {}
    pos = positions.get(loc) or _nearest_position(loc, positions)
    where = framework.source_path or "framework"
    if pos:
        where += f":{pos.line}:{pos.column}"
    return f"{where}: {_fmt_loc(loc)}"
