"""What evalsoc agrees to open: regular files of a bounded size, checked by type before opening.

A FIFO blocks forever on open, /dev/zero and /dev/urandom never end: a `stat` (which opens
nothing) refuses them first. The size limit keeps a mistaken path (a disk image, a video) from
being read whole into memory; EVALSOC_MAX_FILE_SIZE raises it (docs/data.md).
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from evalsoc.errors import EvalsocError

DEFAULT_MAX_DATA_BYTES = 4 * 1024**3  # 4 GiB of data file: far above a survey, below a mistake
ENV_MAX_SIZE = "EVALSOC_MAX_FILE_SIZE"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def max_data_bytes() -> int | None:
    """The data file size limit in bytes (None: no limit, EVALSOC_MAX_FILE_SIZE=0)."""
    from evalsoc.errors import FrameworkError

    raw = os.environ.get(ENV_MAX_SIZE)
    if raw is None or not raw.strip():
        return DEFAULT_MAX_DATA_BYTES
    match = _SIZE.match(raw)
    if not match:
        raise FrameworkError("size_limit_invalid", variable=ENV_MAX_SIZE, given=repr(raw))
    size = int(float(match.group(1)) * _UNITS[match.group(2).upper()])
    return size or None


def _kind(mode: int) -> dict[str, str]:
    if stat.S_ISDIR(mode):
        return {"fr": "un dossier", "en": "a folder"}
    if stat.S_ISFIFO(mode):
        return {"fr": "un tube nommé (FIFO)", "en": "a named pipe (FIFO)"}
    if stat.S_ISCHR(mode):
        return {
            "fr": "un périphérique caractère (comme /dev/zero)",
            "en": "a character device (such as /dev/zero)",
        }
    if stat.S_ISBLK(mode):
        return {"fr": "un périphérique bloc (un disque)", "en": "a block device (a disk)"}
    if stat.S_ISSOCK(mode):
        return {"fr": "une socket", "en": "a socket"}
    return {"fr": "autre chose qu'un fichier ordinaire", "en": "not a regular file"}


def check_regular_file(
    path: Path, what: dict[str, str], max_bytes: int | None, error: type[EvalsocError]
) -> None:
    """Refuse, without opening it, a path that is missing, special or larger than max_bytes.
    `what` is worded `{fr, en}` (e.g. "data file")."""
    try:
        info = path.stat()  # follows symbolic links: a link to a regular file is fine
    except FileNotFoundError:
        raise error("file_not_found", what=what, path=path) from None
    except OSError as exc:
        raise error("file_unreadable", what=what, path=path, detail=exc.strerror) from None
    if not stat.S_ISREG(info.st_mode):
        raise error("file_not_regular", at=str(path), what=what, kind=_kind(info.st_mode))
    if max_bytes is not None and info.st_size > max_bytes:
        raise error(
            "file_too_large",
            at=str(path),
            what=what,
            size=f"{info.st_size:,}",
            limit=f"{max_bytes:,}",
            variable=ENV_MAX_SIZE,
        )
