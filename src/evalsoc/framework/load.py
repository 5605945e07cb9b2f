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

from evalsoc.errors import ConfigValueError, FrameworkError, either, prefer_language
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
            "framework_nested_too_deep_at",
            at=f"{path}:{line}:{column}: {_fmt_loc(loc[:3])}…",
            depth=MAX_DEPTH,
            excerpt=_excerpt(path, line),
        )
    if len(positions) > MAX_NODES:
        raise _TooLarge
    positions[loc] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.ScalarNode) and _SURROGATE.search(node.value):
        pos = positions[loc]
        raise FrameworkError(
            "framework_lone_surrogate",
            at=f"{path}:{pos.line}:{pos.column}: {_fmt_loc(loc)}",
            excerpt=_excerpt(path, pos.line),
        )
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, Position] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            pos = Position(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if key in seen:
                raise FrameworkError(
                    "framework_duplicate_key",
                    at=f"{path}:{pos.line}:{pos.column}",
                    key=_fmt_loc(loc + (key,)),
                    first_line=seen[key].line,
                    excerpt=_excerpt(path, pos.line),
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


FRAMEWORK_FILE = either("fichier du cadre", "framework file")
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
                    "framework_nested_too_deep",
                    at=f"{path}:{mark.line + 1}:{mark.column + 1}",
                    depth=MAX_DEPTH,
                    excerpt=_excerpt(str(path), mark.line + 1),
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _framework_text(path: Path) -> str:
    from evalsoc.data.files import check_regular_file

    check_regular_file(path, FRAMEWORK_FILE, MAX_FRAMEWORK_BYTES, FrameworkError)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FrameworkError("file_not_found", what=FRAMEWORK_FILE, path=path) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise FrameworkError(
            "framework_not_utf8",
            at=f"{path}:{line}",
            byte=repr(exc.object[exc.start : exc.start + 1]),
            line=line,
        ) from None
    except OSError as exc:
        raise FrameworkError(
            "file_unreadable", what=FRAMEWORK_FILE, path=path, detail=exc.strerror
        ) from None


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
                    "framework_aliases_too_large", at=str(path), limit=f"{MAX_NODES:,}"
                ) from None
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        col = mark.column + 1 if mark else 0
        problem = exc.problem or "invalid YAML"
        context = f" ({exc.context})" if exc.context else ""
        raise FrameworkError(
            "framework_yaml_syntax",
            at=f"{path}:{line}:{col}",
            detail=f"{problem}{context}",
            excerpt=_excerpt(str(path), line),
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character such as NUL
        line = text[: exc.position].count("\n") + 1
        raise FrameworkError(
            "framework_control_character",
            at=f"{path}:{line}",
            character=repr(chr(exc.character)),
            excerpt=_excerpt(str(path), line),
        ) from None
    except yaml.YAMLError as exc:
        raise FrameworkError("framework_yaml_error", at=str(path), detail=str(exc)) from None
    except RecursionError:  # composing the node tree recurses: find where, iteratively
        _check_depth(text, path)
        raise FrameworkError("framework_nested_too_deeply", at=str(path), depth=MAX_DEPTH) from None
    except (ValueError, TypeError) as exc:  # a constructor refused a value
        raise FrameworkError("framework_yaml_value", at=str(path), detail=str(exc)) from None
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


def _coded(
    err: Any, raw_loc: Loc, loc: Loc, positions: dict[Loc, Position], root: type[BaseModel]
) -> tuple[Loc, str, dict[str, Any]]:
    """One pydantic error → (key path, catalogue code, parameters), by its error type."""
    etype = err["type"]
    message = err["msg"]
    if etype == "extra_forbidden":
        key = raw_loc[-1]
        holder = _model_at(root, tuple(p for p in raw_loc if p in loc or p == key))
        allowed = list(holder.model_fields) if holder else []
        allowed = [a for a in allowed if a not in ("base_dir", "source_path", "kind")]
        near = difflib.get_close_matches(str(key), allowed, n=3, cutoff=0.6)
        loc = loc if loc and loc[-1] == key else loc + (key,)
        if near:
            return loc, "key_unknown_near", {"key": repr(key), "near": ", ".join(map(repr, near))}
        if allowed:
            return loc, "key_unknown_allowed", {"key": repr(key), "allowed": ", ".join(allowed)}
        return loc, "key_unknown", {"key": repr(key)}
    if etype == "missing":
        loc = _known_loc(raw_loc[:-1], positions) + (raw_loc[-1],)
        return loc, "key_missing", {"key": repr(raw_loc[-1])}
    if etype in ("literal_error", "enum"):
        expected = str(err.get("ctx", {}).get("expected", message))
        return (
            loc,
            "value_not_expected",
            {
                "expected": either(expected.replace(" or ", " ou "), expected),
                "given": repr(err.get("input")),
            },
        )
    if etype == "string_pattern_mismatch" and raw_loc and raw_loc[-1] == "id":
        return loc, "id_invalid", {"given": repr(err.get("input"))}
    refused = err.get("ctx", {}).get("error")
    if isinstance(refused, ConfigValueError):  # our validators' own coded refusals
        return loc, refused.code, refused.params
    if etype.startswith("value_error") or etype == "assertion_error":
        return loc, "value_refused", {"detail": message.removeprefix("Value error, ")}
    given = err.get("input")
    from evalsoc.framework.pydantic_fr import french

    worded = french(etype, err.get("ctx", {}))
    if worded is not None:
        detail = {"fr": worded, "en": message}
        if not isinstance(given, (dict, list)):
            return loc, "value_invalid_given", {"detail": detail, "given": repr(given)}
        return loc, "value_invalid", {"detail": detail}
    if not isinstance(given, (dict, list)):
        return loc, "value_wrong_type_given", {"detail": message, "given": repr(given)}
    return loc, "value_wrong_type", {"detail": message}


def validation_problems(
    exc: ValidationError, path: str, positions: dict[Loc, Position], root: type[BaseModel]
) -> list[FrameworkError]:
    """pydantic's errors as coded problems, each at file:line:col: key.path."""
    problems: list[FrameworkError] = []
    seen: set[tuple[Loc, str]] = set()
    for err in exc.errors(include_url=False):
        raw_loc: Loc = tuple(err["loc"])
        loc, code, params = _coded(err, raw_loc, _known_loc(raw_loc, positions), positions, root)
        found = FrameworkError(code, **params)
        # In a union (e.g. a label: text or {fr, en}), keep one message per place.
        signature = (loc, str(found))
        if signature in seen:
            continue
        seen.add(signature)
        pos = positions.get(loc) or _nearest_position(loc, positions)
        where = f"{path}:{pos.line}:{pos.column}" if pos else path
        problems.append(found.located(f"{where}: {_fmt_loc(loc)}"))
    return problems


def format_validation_error(
    exc: ValidationError, path: str, positions: dict[Loc, Position], root: type[BaseModel]
) -> str:
    """pydantic's errors as English lines: file:line:col: key.path: what was expected."""
    return "\n".join(str(p) for p in validation_problems(exc, path, positions, root))


def load_framework(path: str | Path) -> Any:
    """Read, validate and cross-check a framework file. Raises FrameworkError with every problem."""
    from evalsoc.framework.declared_model import framework_model
    from evalsoc.framework.references import check_references

    path = Path(path)
    data, positions = read_yaml(path)
    if data is None:
        raise FrameworkError("framework_empty", at=str(path))
    if not isinstance(data, dict):
        raise FrameworkError("framework_not_mapping", at=f"{path}:1:1")
    prefer_language("framework", data.get("language"))
    if "evalsoc" in data and (type(data["evalsoc"]) is not int or data["evalsoc"] != 1):
        pos = positions.get(("evalsoc",))
        raise FrameworkError(
            "framework_format_version",
            at=f"{path}:{pos.line if pos else 1}:{pos.column if pos else 1}: evalsoc",
            given=repr(data["evalsoc"]),
        )
    model = framework_model(data)  # only the sections the file declares (start-up)
    try:
        framework = model.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(
            "framework_problems",
            at=str(path),
            count=exc.error_count(),
            problems=validation_problems(exc, str(path), positions, model),
        ) from None
    framework = framework.model_copy(
        update={"base_dir": str(path.resolve().parent), "source_path": str(path)}
    )
    problems = check_references(framework)
    if problems:
        found = []
        for loc, error in problems:
            pos = positions.get(loc) or _nearest_position(loc, positions)
            where = f"{path}:{pos.line}:{pos.column}" if pos else str(path)
            found.append(error.located(f"{where}: {_fmt_loc(loc)}"))
        raise FrameworkError("framework_problems", at=str(path), count=len(found), problems=found)
    framework._positions = positions
    return framework
