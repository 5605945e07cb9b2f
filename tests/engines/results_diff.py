"""Compare two results.json documents: equal apart from floating-point rounding.

Numbers compare with a relative tolerance of 1e-9 (`REL_TOL`, documented in docs/scale.md):
engines add in different orders (DuckDB's compensated `fsum`, pandas' pairwise or sequential
sums), so the last bits of a sum may differ; every other value (text, counts written as
integers, booleans, null, keys and list lengths) must be identical.
"""

from __future__ import annotations

import math
from typing import Any

REL_TOL = 1e-9
ABS_TOL = 1e-12  # for values that are zero on one side (a difference of sums)

# Keys that describe the run rather than its results.
RUN_KEYS = {"engine", "duration_seconds", "elapsed_seconds", "timings"}


def differences(a: Any, b: Any, path: str = "$") -> list[str]:
    """Where `a` and `b` differ beyond the tolerance, one line per place (empty: equal)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return [] if a is b else [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if isinstance(a, int) and isinstance(b, int):
            return [] if a == b else [f"{path}: {a} != {b}"]
        if math.isnan(a) and math.isnan(b):
            return []
        if math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL):
            return []
        return [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[str] = []
        for key in sorted(set(a) | set(b), key=str):
            if key in RUN_KEYS:
                continue
            if key not in a or key not in b:
                out.append(f"{path}.{key}: only in {'second' if key in b else 'first'}")
            else:
                out.extend(differences(a[key], b[key], f"{path}.{key}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)} items"]
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(differences(x, y, f"{path}[{i}]"))
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
