"""The shipped examples and a lazy runner (each example × language once, every format)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The shipped examples: every framework in frameworks/ and the `evalsoc init` template.
EXAMPLES = sorted((ROOT / "frameworks").glob("*.yaml")) + [
    ROOT / "src" / "evalsoc" / "templates" / "centre-social" / "framework.yaml"
]


def example_name(framework: Path) -> str:
    """frameworks/<name>.yaml → <name>; the template's framework.yaml → template-<name> (never
    the same key as a shipped framework of the same name: their outputs differ)."""
    if framework.stem == "framework":
        return f"template-{framework.parent.name}"
    return framework.stem


def run_cli(framework: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "evalsoc", "run", str(framework), "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )


class ExampleRuns:
    """Lazily run an example in a language (all formats) and keep its output folder."""

    def __init__(self, base: Path):
        self.base = base
        self.done: dict[tuple[str, str], Path] = {}

    def __call__(self, framework: Path, lang: str) -> Path:
        key = (example_name(framework), lang)
        if key not in self.done:
            work = self.base / f"{key[0]}-{lang}"
            if framework.stem == "framework":  # a template: `evalsoc init` writes its data
                init = [sys.executable, "-m", "evalsoc", "init", "--template"]
                init += [framework.parent.name, str(work / "src")]
                made = subprocess.run(init, capture_output=True, text=True, timeout=300)
                assert made.returncode == 0, made.stderr
                framework = work / "src" / "framework.yaml"
            proc = run_cli(framework, work / "out", "--lang", lang, "--format", "all", "-q")
            assert proc.returncode == 0, proc.stderr
            self.done[key] = work / "out"
        return self.done[key]
