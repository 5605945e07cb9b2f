"""Wrong-type cases generated from the framework's JSON Schema (`evalsoc schema`).

Every key path found in the shipped frameworks (frameworks/ and tests/data/) is given, once per
documented key (list positions and data-source names folded), a value of a type its schema
refuses; the case expects exit 2 and a message naming the framework file, the line and the key.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
BASES = [
    ROOT / "frameworks" / "chantier-insertion.yaml",
    ROOT / "tests" / "data" / "capability" / "mpi_syn_cdta.yaml",
    ROOT / "tests" / "data" / "effects" / "cattaneo.yaml",
    ROOT / "tests" / "data" / "effects" / "did_sim.yaml",
    ROOT / "tests" / "data" / "effects" / "mpdta.yaml",
    ROOT / "tests" / "data" / "effects" / "nsw.yaml",
    ROOT / "tests" / "data" / "sroi" / "framework.yaml",
    ROOT / "tests" / "data" / "utility" / "centre-social.yaml",
]
# Values of every JSON type but one; the first the schema refuses is used.
CANDIDATES: list[Any] = [{"mauvais": "type"}, [["a"], ["b"]], "texte", 12345, 1.5, True]


@dataclass(frozen=True)
class WrongType:
    base: Path
    path: tuple[str | int, ...]
    value: Any

    @property
    def id(self) -> str:
        return f"{self.base.stem}:{dotted(self.path)}={type(self.value).__name__}"


def dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


@cache
def framework_schema() -> dict:
    from evalsoc.framework.schema import framework_schema_json

    return json.loads(framework_schema_json())


def _resolve(schema: dict) -> dict:
    root = framework_schema()
    while "$ref" in schema:
        schema = root["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _branches(schema: dict) -> list[dict]:
    schema = _resolve(schema)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return [b for sub in schema[key] for b in _branches(sub)]
    return [schema]


def subschema(path: tuple[str | int, ...]) -> dict | None:
    """The schema of the value at `path` (None when the schema leaves it open)."""
    current = [framework_schema()]
    for part in path:
        following = []
        for branch in (b for s in current for b in _branches(s)):
            if isinstance(part, int) and "items" in branch:
                following.append(branch["items"])
            elif isinstance(part, str):
                if part in branch.get("properties", {}):
                    following.append(branch["properties"][part])
                elif isinstance(branch.get("additionalProperties"), dict):
                    following.append(branch["additionalProperties"])
        if not following:
            return None
        current = following
    return {"anyOf": current} if len(current) > 1 else current[0]


_JSON_TYPE = {dict: "object", list: "array", str: "string", int: "integer", float: "number"}


def _accepts(branch: dict, value: Any) -> bool:
    """Whether one schema branch accepts the value's JSON type (open branches accept all)."""
    kind = "boolean" if isinstance(value, bool) else _JSON_TYPE[type(value)]
    if "const" in branch or "enum" in branch:
        return value in branch.get("enum", [branch.get("const")])
    declared = branch.get("type")
    if declared is None:
        return True
    declared = declared if isinstance(declared, list) else [declared]
    return kind in declared or (kind == "integer" and "number" in declared)


def _refused(schema: dict, value: Any) -> bool:
    return not any(_accepts(branch, value) for branch in _branches(schema))


def _signature(path: tuple[str | int, ...], base: Path) -> tuple:
    """A key once, whatever its list position or the name of its data source or column."""
    folded: list[Any] = []
    for i, part in enumerate(path):
        parent = path[i - 1] if i else None
        if isinstance(part, int) or parent in ("data", "columns"):
            folded.append("*")
        else:
            folded.append(part)
    return tuple(folded)


def _walk(node: Any, path: tuple) -> list[tuple]:
    found = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str):  # `dates: {0: ..., 1: ...}` keys are waves, not keys
                found += _walk(value, path + (key,))
    elif isinstance(node, list) and node:
        found += _walk(node[0], path + (0,))
    return found


@cache
def wrong_type_cases() -> list[WrongType]:
    cases: list[WrongType] = []
    seen: set[tuple] = set()
    for base in BASES:
        document = yaml.safe_load(base.read_text(encoding="utf-8"))
        for path in _walk(document, ()):
            signature = _signature(path, base)
            if signature in seen:
                continue
            schema = subschema(path)
            if schema is None or not schema or schema == {"anyOf": [{}]}:
                continue
            value = next((c for c in CANDIDATES if _refused(schema, c)), None)
            if value is None:
                continue
            seen.add(signature)
            cases.append(WrongType(base, path, value))
    return cases


@cache
def _base_document(base: Path) -> dict:
    return yaml.load(base.read_text(encoding="utf-8"), Loader=_LOADER)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def mutated_text(case: WrongType) -> str:
    """The base framework with the wrong value at the case's key, as YAML."""
    return yaml.dump(mutated(case), Dumper=_DUMPER, sort_keys=False, allow_unicode=True)


def mutated(case: WrongType) -> dict:
    document = copy.deepcopy(_base_document(case.base))
    node = document
    for part in case.path[:-1]:
        node = node[part]
    node[case.path[-1]] = case.value
    return document
