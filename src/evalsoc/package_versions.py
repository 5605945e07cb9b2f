"""The installed versions of a few named packages, as `importlib.metadata.version` gives them,
without its cost (issue 16: a run's fixed CPU).

`importlib.metadata.version(name)` indexes every entry of every folder on `sys.path` (a regular
expression per installed distribution) and then parses each package's whole METADATA file as
an e-mail message, licence texts and long descriptions included (pydantic's is 144 kB): about
0.07 s of CPU on a quiet machine for the ten packages results.json names. Here each folder of
`sys.path` is listed once, only the named packages' `NAME-VERSION.dist-info` folders are kept,
and the `Version:` header is read from the top of their METADATA file, where the core metadata
specification puts the headers. The result is the same string: whatever this module does not
handle the way importlib.metadata would for sure (an egg, an `.egg-info`, a zip on the path,
another distribution finder on `sys.meta_path`, a METADATA without a plain `Version:` line)
is answered by `importlib.metadata.version` itself (tests/test_package_versions.py compares
both on the real environment and on made-up folders).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable

NOT_INSTALLED = "not installed"


def _normalized(name: str) -> str:
    """importlib.metadata's `Prepared.normalize`: PEP 503, dashes as underscores."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


def versions(names: Iterable[str]) -> dict[str, str]:
    """{name: version or "not installed"} for each of `names`, in their order."""
    wanted = list(names)
    found: dict[str, str] = {}
    if _other_finders():
        return {name: _by_importlib(name) for name in wanted}
    keys = {name: _normalized(name) for name in wanted}
    for folder in sys.path:
        pending = [name for name in wanted if name not in found]
        if not pending:
            break
        try:
            children = os.listdir(folder or ".")
        except OSError:
            if os.path.exists(folder or "."):  # a zip file, say: importlib.metadata reads it
                for name in pending:
                    found[name] = _by_importlib(name)
                break
            continue
        if os.path.basename(folder).lower().endswith(".egg") and any(
            child.lower() == "egg-info" for child in children
        ):  # an egg's own folder on the path: importlib.metadata reads it
            for name in pending:
                found[name] = _by_importlib(name)
            break
        by_key: dict[str, list[str]] = {}
        for child in children:
            key = _distribution_key(child)
            if key is not None:
                by_key.setdefault(key, []).append(child)
        for name in pending:
            matches = by_key.get(keys[name], [])
            if not matches:
                continue
            dist_info = [child for child in matches if child.lower().endswith(".dist-info")]
            version = None
            if len(matches) == 1 and dist_info:
                version = _version_header(os.path.join(folder or ".", dist_info[0], "METADATA"))
            found[name] = version if version is not None else _by_importlib(name)
    return {name: found.get(name, NOT_INSTALLED) for name in wanted}


def _distribution_key(child: str) -> str | None:
    """The normalized name of a metadata folder or egg in a `sys.path` folder, else None."""
    low = child.lower()
    if low.endswith((".dist-info", ".egg-info", ".egg")):
        return _normalized(low.rpartition(".")[0].partition("-")[0])
    return None


def _version_header(path: str) -> str | None:
    """The value of the first `Version:` header of a METADATA file, as the e-mail parser that
    importlib.metadata uses reads it; None when that is not certain (no such plain line)."""
    try:
        with open(path, encoding="utf-8") as file:
            lines = iter(file)
            for line in lines:
                if line in ("\n", "\r\n"):
                    return None  # end of the headers
                if line[:8].lower() == "version:":
                    following = next(lines, "")
                    if following[:1] in (" ", "\t"):
                        return None  # a folded header
                    value = line[8:].lstrip(" \t").rstrip("\r\n")
                    return value or None
    except (OSError, UnicodeDecodeError):
        return None
    return None


def _other_finders() -> bool:
    """Whether a finder other than the standard path finder could also yield distributions."""
    from importlib.machinery import PathFinder

    return any(
        finder is not PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    )


def _by_importlib(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED
