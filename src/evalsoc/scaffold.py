"""`evalsoc init`: copy a template framework and its small dataset into a new folder."""

from __future__ import annotations

import difflib
from importlib import resources
from pathlib import Path

from evalsoc.errors import FrameworkError

TEMPLATES = {
    "centre-social": "a community centre (centre social): social ties and participation, 120 visits",
}


def scaffold(directory: Path, template: str) -> Path:
    """Create DIRECTORY with framework.yaml and its data; refuse to overwrite anything."""
    if template not in TEMPLATES:
        near = difflib.get_close_matches(template, list(TEMPLATES), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise FrameworkError(
            f"unknown template {template!r}{hint} (available: {', '.join(TEMPLATES)})"
        )
    source = resources.files("evalsoc").joinpath("templates", template)
    files = [f for f in source.iterdir() if f.is_file()]
    directory.mkdir(parents=True, exist_ok=True)
    clashes = [f.name for f in files if (directory / f.name).exists()]
    if clashes:
        raise FrameworkError(
            f"{directory}: would overwrite {', '.join(sorted(clashes))}; choose an empty folder"
        )
    for f in files:
        (directory / f.name).write_bytes(f.read_bytes())
    return directory / "framework.yaml"
