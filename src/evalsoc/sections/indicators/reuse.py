"""What several indicators read from one table, computed once per table (issue 16).

Indicators with the same rows and `by` share one frame and one table of groups
(engines/pandas.py caches them): a group's values and the codes of a share's column are then
read once, not once per indicator, figure and round of the disclosure audit. An entry is held
with a weak reference to its table: it never outlives the table, nor is it given to another
object that later takes the same address.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")

_CACHE: dict[tuple[int, Hashable], tuple[weakref.ref[Any], Any]] = {}


def once_per(table: Any, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` the first time it is asked for `key` of this `table` object, then the same
    value (callers must not modify it)."""
    slot = (id(table), key)
    found = _CACHE.get(slot)
    if found is not None and found[0]() is table:
        value: T = found[1]
        return value
    for dead in [k for k, (ref, _) in _CACHE.items() if ref() is None]:
        del _CACHE[dead]
    value = compute()
    _CACHE[slot] = (weakref.ref(table), value)
    return value
