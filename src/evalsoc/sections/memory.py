"""Draw counts against the machine's memory: a bootstrap or a Monte Carlo whose arrays would not
fit is refused before it starts (a clear framework error, exit 2), not killed by the system.

Each framework key has a fixed upper bound (`le=` in the model); this check adds the machine's
side: the arrays a computation will hold at once must fit in half the memory available now.
"""

from __future__ import annotations

import os

from evalsoc.errors import FrameworkError

SHARE_OF_AVAILABLE = 0.5


def available_memory() -> int | None:
    """Bytes of memory available now (Linux MemAvailable, else free pages), None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_draws_fit(draws: int, floats_per_draw: int, key: str) -> None:
    """Refuse `draws` replicates of `floats_per_draw` float64 values that would not fit."""
    needed = int(draws) * max(int(floats_per_draw), 1) * 8
    available = available_memory()
    if available is None or needed <= available * SHARE_OF_AVAILABLE:
        return
    fitting = max(int(available * SHARE_OF_AVAILABLE) // (max(floats_per_draw, 1) * 8), 1)
    raise FrameworkError(
        "draws_exceed_memory",
        at=key,
        draws=f"{draws:,}",
        needed=f"{needed / 1024**3:.1f}",
        available=f"{available / 1024**3:.1f}",
        fitting=f"{fitting:,}",
    )
