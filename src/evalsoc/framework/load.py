"""YAML → Framework, once, at the boundary. Errors name the file, line, column and key path."""

from __future__ import annotations

import difflib
import re
import types
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from evalsoc.errors import FrameworkError
from evalsoc.framework.positions import (  # noqa: F401 - re-exported
    Loc,
    Position,
    _fmt_loc,
    _nearest_position,
    position_of,
)

# libyaml's parser when PyYAML was built with it (about ten times faster, same safe constructor).
_SafeBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):
    """The safe loader, without YAML 1.1's implicit timestamps: dates stay text until the
    typed model reads them, so `2025-13-45` is a clear error at its key, not a crash."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

MAX_NODES = 200_000  # far above any real framework; stops alias bombs ("billion laughs")
MAX_DEPTH = 60
_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooLarge(Exception):
    pass


def _walk(node: yaml.Node, loc: Loc, positions: dict[Loc, Position], path: str) -> None:
    if len(loc) > MAX_DEPTH:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        raise FrameworkError(
            f"{path}:{line}:{column}: {_fmt_loc(loc[:3])}…: the framework is nested more than "
            f"{MAX_DEPTH} levels deep; no framework key needs that many: check the brackets "
            "and the indentation" + _excerpt(path, line)
        )
    if len(positions) > MAX_NODES:
        raise _TooLarge
    positions[loc] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
        pos = positions[loc]
        raise FrameworkError(
            f"{path}:{pos.line}:{pos.column}: {_fmt_loc(loc)}: the text holds an escape of half "
            "a Unicode character (a lone surrogate such as \\ud800), which no file can store; "
            "write the character itself" + _excerpt(path, pos.line)
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            pos = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                raise FrameworkError(
                    f"{path}:{pos.line}:{pos.column}: key {_fmt_loc(loc + (key,))!s} appears twice "
                    f"(first at line {seen[key].line}); YAML keeps only one, so remove the other"
                    + _excerpt(path, pos.line)
                )
            seen[key] = pos
            positions[loc + (key,)] = pos
            _walk(value_node, loc + (key,), positions, path)
            # The value's own position is more useful for type errors on scalars.
            if isinstance(value_node, yaml.ScalarNode):
                positions[loc + (key,)] = Position(
                    value_node.start_mark.line + 1, value_node.start_mark.column + 1
                )
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), positions, path)


def _cut(text: str, width: int = 120) -> str:
    text = text.replace("\x00", "\\x00")
    return text if len(text) <= width else text[:width] + " …"


def _excerpt(path: str, line: int, context: int = 1) -> str:
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    start = max(1, line - context)
    stop = min(len(lines), line + context)
    shown = [
        f"  {'>' if n == line else ' '} {n:4d} | {_cut(lines[n - 1])}"
        for n in range(start, stop + 1)
    ]
    return "\n" + "\n".join(shown)


MAX_FRAMEWORK_BYTES = 10 * 1024 * 1024  # a framework is text written by hand: 10 MiB is plenty


def _check_depth(text: str, path: Path) -> None:
    """PyYAML builds its node tree recursively: refuse deep nesting from the event stream
    (which is read iteratively) before composing, so the guard holds at any depth."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise FrameworkError(
                    f"{path}:{mark.line + 1}:{mark.column + 1}: the framework is nested more than "
                    f"{MAX_DEPTH} levels deep; no framework key needs that many: check the "
                    "brackets" + _excerpt(str(path), mark.line + 1)
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _framework_text(path: Path) -> str:
    from evalsoc.data.files import check_regular_file

    check_regular_file(path, "framework file", MAX_FRAMEWORK_BYTES, FrameworkError)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FrameworkError(f"framework file not found: {path}") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise FrameworkError(
            f"{path}:{line}: the framework file must be saved as UTF-8 (byte "
            f"{exc.object[exc.start : exc.start + 1]!r} at line {line} is not UTF-8)"
        ) from None
    except OSError as exc:
        raise FrameworkError(f"cannot read framework file {path}: {exc.strerror}") from None


def read_yaml(path: Path) -> tuple[Any, dict[Loc, Position]]:
    """Parse a YAML file safely; return the data and the position of every key path."""
    text = _framework_text(path)
    loader = None
    try:
        loader = _Loader(text)  # one safe parse: the node tree gives positions, then the data
        node = loader.get_single_node()
        positions: dict[Loc, Position] = {}
        if node is not None:
            try:
                _walk(node, (), positions, str(path))
            except (_TooLarge, RecursionError):
                raise FrameworkError(
                    f"{path}: the framework is too large once its YAML aliases (*name) are "
                    f"expanded (more than {MAX_NODES:,} values); write the repeated parts out"
                ) from None
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise FrameworkError(
            f"{path}:{line}:{col}: YAML syntax error: {problem}{context}"
            + _excerpt(str(path), line)
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = text[: exc.position].count("\n") + 1
        raise FrameworkError(
            f"{path}:{line}: the file holds the control character {chr(exc.character)!r}, "
            "which a framework file cannot contain; remove it" + _excerpt(str(path), line)
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{path}: YAML error: {exc}") from None
    except RecursionError:  # composing the node tree recurses: find where, iteratively
        _check_depth(text, path)
        raise FrameworkError(
            f"{path}: the framework is nested too deeply (more than {MAX_DEPTH} levels)"
        ) from None
    except (ValueError, TypeError) as exc:  # a constructor refused a value
        raise FrameworkError(f"{path}: YAML value error: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, positions


def _strip(annotation: Any) -> Any:
    """Unwrap Optional/Union/Annotated to a model class or a list/dict annotation."""
    for _ in range(8):
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = typing.get_args(annotation)
            picks = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            picks += [a for a in args if typing.get_origin(a) in (list, dict)]
            if not picks:
                return None
            annotation = picks[0]
            continue
        return annotation
    return None


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The config model class that holds the last key of `loc` (for 'did you mean')."""
    current: Any = model
    for part in loc[:-1]:
        current = _strip(current)
        if isinstance(current, type) and issubclass(current, BaseModel) and isinstance(part, str):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        elif typing.get_origin(current) is list and isinstance(part, int):
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict and isinstance(part, str):
            current = typing.get_args(current)[1]
        else:
            return None
    current = _strip(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _known_loc(loc: Loc, positions: dict[Loc, Position]) -> Loc:
    """Drop pydantic's internal loc parts (union branch names...) that are not YAML keys."""
    kept: list[str | int] = []
    for part in loc:
        if tuple(kept + [part]) in positions:
            kept.append(part)
    return tuple(kept)


def format_validation_error(
    exc: ValidationError, path: str, positions: dict[Loc, Position], root: type[BaseModel]
) -> str:
    """Turn pydantic's errors into lines: file:line:col: key.path: what was expected."""
    lines: list[str] = []
    seen: set[tuple[Loc, str]] = set()
    for err in exc.errors(include_url=False):
        raw_loc: Loc = tuple(err["loc"])
        loc = _known_loc(raw_loc, positions)
        etype = err["type"]
        message = err["msg"]
        if etype == "extra_forbidden":
            key = raw_loc[-1]
            holder = _model_at(root, tuple(p for p in raw_loc if p in loc or p == key))
            allowed = list(holder.model_fields) if holder else []
            allowed = [a for a in allowed if a not in ("base_dir", "source_path", "kind")]
            near = difflib.get_close_matches(str(key), allowed, n=3, cutoff=0.6)
            message = f"unknown key {key!r}"
            if near:
                message += f"; did you mean {', '.join(map(repr, near))}?"
            elif allowed:
                message += f" (allowed here: {', '.join(allowed)})"
            loc = loc if loc and loc[-1] == key else loc + (key,)
        elif etype == "missing":
            message = f"missing required key {raw_loc[-1]!r}"
            loc = _known_loc(raw_loc[:-1], positions) + (raw_loc[-1],)
        elif etype in ("literal_error", "enum"):
            message = (
                f"expected {err.get('ctx', {}).get('expected', message)}, got {err.get('input')!r}"
            )
        elif etype == "string_pattern_mismatch" and raw_loc and raw_loc[-1] == "id":
            message = (
                f"an id is made of letters, digits, '_', '.' and '-' (no space), starting with a "
                f"letter or digit; got {err.get('input')!r}"
            )
        elif etype.startswith("value_error") or etype == "assertion_error":
            message = message.removeprefix("Value error, ")
        else:
            given = err.get("input")
            if not isinstance(given, (dict, list)):
                message = f"{message} (got {given!r})"
        # In a union (e.g. a label: text or {fr, en}), keep one message per place.
        signature = (loc, message)
        if signature in seen:
            continue
        seen.add(signature)
        pos = positions.get(loc) or _nearest_position(loc, positions)
        where = f"{path}:{pos.line}:{pos.column}" if pos else path
        lines.append(f"{where}: {_fmt_loc(loc)}: {message}")
    return "\n".join(lines)


def load_framework(path: str | Path) -> Any:
    """Read, validate and cross-check a framework file. Raises FrameworkError with every problem."""
    from evalsoc.framework.model import Framework
    from evalsoc.framework.references import check_references

    path = Path(path)
    data, positions = read_yaml(path)
    if data is None:
        raise FrameworkError(f"{path}: the framework file is empty")
    if not isinstance(data, dict):
        raise FrameworkError(
            f"{path}:1:1: the framework must be a mapping of keys (evalsoc, id, title, ...)"
        )
    if "evalsoc" in data and (type(data["evalsoc"]) is not int or data["evalsoc"] != 1):
        pos = positions.get(("evalsoc",))
        raise FrameworkError(
            f"{path}:{pos.line if pos else 1}:{pos.column if pos else 1}: evalsoc: this version of evalsoc reads format 1, "
            f"the file declares {data['evalsoc']!r}; write `evalsoc: 1`"
        )
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(
            f"{path}: the framework has {exc.error_count()} problem(s):\n"
            + format_validation_error(exc, str(path), positions, Framework)
        ) from None
    framework = framework.model_copy(
        update={"base_dir": str(path.resolve().parent), "source_path": str(path)}
    )
    problems = check_references(framework)
    if problems:
        lines = []
        for loc, message in problems:
            pos = positions.get(loc) or _nearest_position(loc, positions)
            where = f"{path}:{pos.line}:{pos.column}" if pos else str(path)
            lines.append(f"{where}: {_fmt_loc(loc)}: {message}")
        raise FrameworkError(
            f"{path}: the framework has {len(lines)} problem(s):\n" + "\n".join(lines)
        )
    framework._positions = positions
    return framework
