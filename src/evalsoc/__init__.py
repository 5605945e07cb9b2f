"""evalsoc: evaluate the social utility and the social impact of social programmes.

Public API (lazy, so that `import evalsoc` stays cheap)::

    import evalsoc
    fw = evalsoc.load("framework.yaml")
    results = evalsoc.run(fw)            # or evalsoc.run("framework.yaml")
"""

from __future__ import annotations

from typing import Any

from evalsoc._version import __version__

__all__ = ["__version__", "load", "run"]


def load(path: Any) -> Any:
    """Load and validate a framework file into typed objects."""
    from evalsoc.framework.load import load_framework

    return load_framework(path)


def run(framework: Any, **kwargs: Any) -> Any:
    """Run a framework (path or loaded Framework) and return its Results."""
    from evalsoc.pipeline import run_framework

    return run_framework(framework, **kwargs)
