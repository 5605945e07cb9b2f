"""JSON Schema of the framework format, for editors (VS Code's YAML extension, etc.)."""

from __future__ import annotations

import json
from typing import Any

INTERNAL_FIELDS = ("base_dir", "source_path")


def _clean(node: Any) -> Any:
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name in INTERNAL_FIELDS:
                props.pop(name, None)
            if node.get("title") == "IndicatorSpec":
                props.pop("kind", None)
                node["required"] = [r for r in node.get("required", []) if r != "kind"]
                node["description"] = (
                    "An indicator names its kind as the key holding its column: mean, proportion, "
                    "count, sum, median, rate, share, rubric or themes."
                )
        return {k: _clean(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_clean(v) for v in node]
    return node


def framework_schema() -> dict[str, Any]:
    from evalsoc.framework.model import Framework

    schema = Framework.model_json_schema(mode="validation")
    schema = _clean(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "evalsoc framework"
    return schema


def framework_schema_json() -> str:
    return json.dumps(framework_schema(), ensure_ascii=False, indent=2, sort_keys=True)
