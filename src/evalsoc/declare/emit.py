"""A `data:` block as YAML text, written line by line so that the form's relevance rules and
other hints stay beside their column as comments (a YAML dumper would drop them)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def scalar(value: Any) -> str:
    """A YAML scalar: plain when safe, else JSON-quoted (a valid YAML double-quoted string)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in {
        "yes", "no", "true", "false", "on", "off", "null", "y", "n", "oui", "non",
    }:  # fmt: skip
        return text
    return json.dumps(text, ensure_ascii=False)


def label(value: Any) -> str:
    if isinstance(value, dict):
        parts = ", ".join(f"{k}: {scalar(v)}" for k, v in value.items() if v)
        return "{" + parts + "}"
    return scalar(value)


@dataclass
class Column:
    id: str
    type: str
    name: str | None = None
    label: Any = None
    values: list[Any] | None = None
    labels: dict[Any, Any] | None = None
    min: float | None = None
    max: float | None = None
    nullable: bool = True
    comments: list[str] = field(default_factory=list)

    def lines(self, indent: str) -> list[str]:
        out = [f"{indent}{scalar(self.id)}:"]
        inner = indent + "  "
        out += [f"{inner}# {c}" for c in self.comments]
        out.append(f"{inner}type: {self.type}")
        if self.name and self.name != self.id:
            out.append(f"{inner}name: {scalar(self.name)}")
        if self.label:
            out.append(f"{inner}label: {label(self.label)}")
        if self.values is not None:
            out.append(f"{inner}values: [{', '.join(scalar(v) for v in self.values)}]")
        if self.labels:
            out.append(f"{inner}labels:")
            out += [f"{inner}  {scalar(k)}: {label(v)}" for k, v in self.labels.items()]
        for key in ("min", "max"):
            value = getattr(self, key)
            if value is not None:
                out.append(f"{inner}{key}: {_number(value)}")
        if self.nullable:
            out.append(f"{inner}nullable: true")
        return out


@dataclass
class Source:
    name: str
    file: str
    options: list[str] = field(default_factory=list)  # "key: value" lines
    comments: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"  {scalar(self.name)}:"]
        out += [f"    # {c}" for c in self.comments]
        out.append(f"    file: {scalar(self.file)}")
        out += [f"    {o}" for o in self.options]
        if self.columns:
            out.append("    columns:")
            for col in self.columns:
                out += col.lines("      ")
        return out


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def data_block(header: list[str], sources: list[Source], derived: list[str]) -> str:
    lines = [f"# {h}" for h in header] + ["data:"]
    for source in sources:
        lines += source.lines()
    lines += derived
    return "\n".join(lines) + "\n"


def write_or_print(text: str, output: Any) -> None:
    """Print, or write a new file: never overwrite one (exit 2 with a message)."""
    import click

    from evalsoc.errors import FrameworkError

    if output is None:
        click.echo(text, nl=False)
        return
    try:
        with open(output, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise FrameworkError("import_output_exists", path=output) from None
