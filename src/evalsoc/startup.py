"""Python's cyclic garbage collector during the start-up of `evalsoc run` and `validate` (issue 16).

Importing pandas, pyarrow, pydantic and pandera leaves some 165,000 objects for the collector to
track, nearly all of them living as long as the process. Left as it is, the collector walks them
again at each full collection while the later ones are imported, and once more when the
interpreter exits: a sixth of the CPU of `evalsoc validate` on a small file (docs/scale.md,
"Round 6"). So, in a process started by the command line (never when evalsoc is used as a
library or through click's test runner), `run` and `validate` pause the collector while the
framework is read and the libraries are imported; once they are, before the first row of data is
read, everything alive is moved to the permanent generation, which the collector no longer walks
(`gc.freeze`: the Python documentation pairs it with `gc.disable()` early in a process for
objects created at start-up), and the collector resumes. The data's own objects are collected as
usual; reference counting frees everything else at every moment, paused or not. What the freeze
keeps although unreachable, import-time garbage, is about 1,000 objects. pandera is not among
the libraries imported then: the pandas intake imports it only when a check may fail
(data/validate.py), with the collector paused for that import alone (`collector_paused_for`).
Results do not depend on any of this.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

_state = {"command_line": False, "paused": False}


def command_line() -> None:
    """Called by the console entry point only: this process is one evalsoc command."""
    _state["command_line"] = True


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector is paused from here until `end_of_startup` or the end of the block."""
    if not _state["command_line"] or not gc.isenabled():
        yield
        return
    gc.disable()
    _state["paused"] = True
    try:
        yield
    finally:
        if _state["paused"]:  # stopped before the data (a framework error): nothing frozen
            _state["paused"] = False
            gc.enable()


def collector_paused_for(load: Callable[[], Any]) -> Any:
    """`load()` (a library's import after the start-up) with the collector paused, in a process
    started by the command line: the import's new objects are not walked again and again while
    it runs. Nothing is frozen: the data read so far are alive by then (data/validate.py)."""
    if not _state["command_line"] or not gc.isenabled():
        return load()
    gc.disable()
    try:
        return load()
    finally:
        gc.enable()


def end_of_startup(framework: Any, engine: Any) -> None:
    """Import the libraries that read and validate the data, freeze what is alive, resume the
    collector. Does nothing unless `collector_paused` paused it."""
    if not _state["paused"]:
        return
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    # pandera is not imported here: the pandas intake imports it only for a check that may fail
    # (data/validate.py), pausing the collector for the import (`collector_paused_for`).
    gc.freeze()
    _state["paused"] = False
    gc.enable()
