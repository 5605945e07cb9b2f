"""The output-folder rule: evalsoc writes only into a folder it made (its manifest says so) or
an empty one, never replaces a file it did not write, and switches a complete new set of
outputs in with one atomic exchange, so that a crash at any instant leaves either the complete
previous outputs or the complete new ones at the output path (docs/cli.md).

Why an exchange (Linux renameat2 RENAME_EXCHANGE) rather than a `current` symlink: the user's
path keeps holding the files themselves (out/report.html, as the docs and scripts expect), and
copying or zipping the folder copies files, not a link. Where the exchange is not available
(another OS, a file system without it) two renames are used, and the one instant between them
is covered by recovery: the next run puts the previous outputs back.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from evalsoc.errors import FrameworkError

MANIFEST = ".evalsoc-manifest.json"
MANIFEST_FORMAT = "evalsoc-outputs"
MANIFEST_VERSION = 1
KILL_ENV = "EVALSOC_TEST_KILL_AT_STEP"  # tests only: SIGKILL this process at step N
NO_EXCHANGE_ENV = "EVALSOC_TEST_NO_RENAME_EXCHANGE"  # tests only: use the two-rename fallback

Say = Callable[[str], None]


class OutputFolderError(FrameworkError):
    """The output path cannot be used without destroying something: exit code 2."""


_step_count = 0


def _step() -> None:
    """A point between two file-system operations; tests kill the process at the N-th one."""
    global _step_count
    _step_count += 1
    if os.environ.get(KILL_ENV) == str(_step_count):
        os.kill(os.getpid(), signal.SIGKILL)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    if sys.platform == "win32":  # directories cannot be opened for fsync there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _manifest_bytes(files: dict[str, str], complete: bool) -> bytes:
    body = {
        "format": MANIFEST_FORMAT,
        "version": MANIFEST_VERSION,
        "complete": complete,
        "note": {
            "fr": "écrit par evalsoc : les fichiers qu'il a écrits ici, qu'une exécution "
            "ultérieure peut remplacer",
            "en": "written by evalsoc: the files it wrote here, which a later run may replace",
        },
        "files": dict(sorted(files.items())),
    }
    return (json.dumps(body, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when it has none (or one evalsoc did not write)."""
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        return None
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("format") != MANIFEST_FORMAT:
        return None
    if not isinstance(body.get("files"), dict):
        return None
    return body


def _listing(folder: Path) -> tuple[set[str], set[str]]:
    """(files, folders) under folder, as posix paths relative to it; links count as files."""
    files, folders = set(), set()
    for root, dirs, names in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for name in dirs:
            path = Path(root) / name
            (files if path.is_symlink() else folders).add((rel / name).as_posix())
        files.update((rel / name).as_posix() for name in names)
    return files, folders


def _is_ours_or_empty(folder: Path) -> bool:
    if folder.is_symlink() or not folder.is_dir():
        return False
    return read_manifest(folder) is not None or not any(folder.iterdir())


# --- the atomic exchange ------------------------------------------------------------------


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (renameat2 RENAME_EXCHANGE); False where not available."""
    if not sys.platform.startswith("linux") or os.environ.get(NO_EXCHANGE_ENV):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # glibc < 2.28, musl builds without it
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes += [ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # kernel or file system without it
        return False
    raise OSError(err, os.strerror(err), str(b))


# --- checks before writing ------------------------------------------------------------------


def _refuse_protected(target: Path, protected: Iterable[Path]) -> None:
    """The framework's folder, and any folder holding the framework or its data, is never an
    output folder, even with --force."""
    real = target.resolve()
    for path in protected:
        held = Path(path).resolve()
        if real == held or real in held.parents:
            raise OutputFolderError("out_holds_inputs", target=target, path=path)


_LEGACY_NAMES = {"results.json", "run.json", "report.html", "STOPPED.txt"}


def _legacy_manifest(target: Path) -> dict[str, Any] | None:
    """Outputs of evalsoc before manifests (≤ 0.1.0): only its own file names, and a
    results.json or STOPPED.txt that evalsoc wrote. Adopted, so that upgrading breaks no
    `make demo`; anything else in the folder makes it the user's."""
    top = set(os.listdir(target))
    if not top or not top <= _LEGACY_NAMES | {"invalid"}:
        return None
    invalid = target / "invalid"
    if "invalid" in top and (
        invalid.is_symlink()
        or not invalid.is_dir()
        or any(not n.endswith(".csv") or not (invalid / n).is_file() for n in os.listdir(invalid))
    ):
        return None
    if "results.json" in top:
        try:
            body = json.loads((target / "results.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(body, dict) or not {"format", "framework", "provenance"} <= set(body):
            return None
    elif not (target / "STOPPED.txt").is_file() or not (target / "STOPPED.txt").read_text(
        encoding="utf-8", errors="replace"
    ).startswith("This run was stopped by the data policy"):
        return None
    files, _ = _listing(target)
    return {"files": {rel: sha256((target / rel).read_bytes()) for rel in files}}


def _holds_cwd(target: Path) -> bool:
    """The current folder (a shell may be in it) is written in place, never swapped away."""
    here = Path.cwd().resolve()
    return target.resolve() == here or target.resolve() in here.parents


def _not_ours(target: Path, foreign: list[str], manifest: Any) -> OutputFolderError:
    why = (
        {
            "fr": f"evalsoc ne l'a pas créé (il n'a pas de {MANIFEST})",
            "en": f"evalsoc did not make it (it has no {MANIFEST})",
        }
        if manifest is None
        else {
            "fr": "il contient des fichiers qu'evalsoc n'a pas écrits",
            "en": "it holds files evalsoc did not write",
        }
    )
    extra = len(foreign) - 5
    more = {"fr": f" et {extra} autres", "en": f" and {extra} more"} if extra > 0 else None
    return OutputFolderError(
        "out_not_ours",
        target=target,
        why=why,
        files=", ".join(foreign[:5]),
        more=more or {"fr": "", "en": ""},
    )


def _clash(target: Path, clashes: list[str]) -> OutputFolderError:
    return OutputFolderError("out_clash", target=target, files=", ".join(clashes[:5]))


def _plan(target: Path, names: Iterable[str], force: bool) -> tuple[str, dict[str, str]]:
    """("create" | "swap" | "in_place", {file: sha256} of the files evalsoc wrote there before)."""
    if not os.path.lexists(target):
        return "create", {}
    if target.is_symlink():
        raise OutputFolderError("out_is_symlink", target=target)
    if not target.is_dir():
        raise OutputFolderError("out_not_folder", target=target)
    manifest = read_manifest(target) or _legacy_manifest(target)
    if manifest is None:  # not ours: look no deeper than needed (it may be a home folder)
        entries = sorted(os.listdir(target))
        if not entries:
            return ("in_place" if _holds_cwd(target) else "swap"), {}
        if not force:
            raise _not_ours(target, entries, manifest)
        clashes = sorted(n for n in [*names, MANIFEST] if os.path.lexists(target / n))
        if clashes:
            raise _clash(target, clashes)
        return "in_place", {}
    listed: dict[str, str] = dict(manifest["files"])
    files, folders = _listing(target)
    files.discard(MANIFEST)

    def current_hash_if_ours(rel: str) -> str | None:
        """A listed file counts as evalsoc's while its bytes are one version it wrote (during
        an in-place replacement the manifest lists two)."""
        wanted = listed.get(rel)
        hashes = wanted if isinstance(wanted, list) else [wanted]
        if wanted is None or (target / rel).is_symlink():
            return None
        digest = sha256((target / rel).read_bytes())
        return digest if digest in hashes else None

    current = {rel: current_hash_if_ours(rel) for rel in files if rel in listed}
    ours = {rel: digest for rel, digest in current.items() if digest is not None}
    changed = sorted(rel for rel in files if rel in listed and rel not in ours)
    if changed:
        raise OutputFolderError("out_changed", at=str(target), files=", ".join(changed[:5]))
    foreign = sorted(files - set(ours))
    foreign += sorted(d for d in folders if not any(rel.startswith(d + "/") for rel in listed))
    if not foreign:
        return ("in_place" if _holds_cwd(target) else "swap"), ours
    if not force:
        raise _not_ours(target, foreign, manifest)
    clashes = sorted(n for n in names if n in files - set(ours) or n in folders)
    if clashes:
        raise _clash(target, clashes)
    return "in_place", ours


# --- recovery of interrupted runs -------------------------------------------------------------


def _leftovers(target: Path) -> list[Path]:
    prefixes = (f".{target.name}.tmp-", f".{target.name}.old-")
    return sorted(
        p
        for p in target.parent.iterdir()
        if p.name.startswith(prefixes) and not p.is_symlink() and p.is_dir()
    )


def recover(target: Path, say: Say) -> None:
    """Put back outputs that an interrupted run left aside, and remove its temporary folders
    (only those evalsoc marked as its own: a manifest inside, or empty)."""
    mine = [p for p in _leftovers(target) if _is_ours_or_empty(p)]
    if not os.path.lexists(target):
        complete = [p for p in mine if (read_manifest(p) or {}).get("complete")]
        previous = [p for p in complete if ".old-" in p.name] or []
        if previous:
            restored = max(previous, key=lambda p: p.stat().st_mtime_ns)
            os.rename(restored, target)
            _fsync_dir(target.parent)
            _step()
            mine.remove(restored)
            say(
                f"an interrupted run had set the outputs aside: restored them in {target} "
                f"(from {restored.name})"
            )
    for path in mine:
        shutil.rmtree(path)
        _step()
        say(f"removed {path}, left by an interrupted evalsoc run")


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One evalsoc writing beside a given output path at a time (recovery must not remove the
    temporary folder of a run still writing)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputFolderError("out_locked", folder=folder) from None
        yield
    finally:
        os.close(fd)


# --- writing --------------------------------------------------------------------------------


def _new_staging(target: Path) -> Path:
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # an ordinary folder, not mkdtemp's private 0700
    _step()
    return staging


def _stage(staging: Path, files: dict[str, bytes]) -> None:
    """A complete, fsynced copy of the new outputs in a hidden sibling folder."""
    _write_file(staging / MANIFEST, _manifest_bytes({}, complete=False))  # marks it as ours
    _step()
    for rel, data in files.items():
        path = staging / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(path, data)
        _step()
    for folder in sorted({(staging / rel).parent for rel in files}, reverse=True):
        _fsync_dir(folder)
    hashes = {rel: sha256(data) for rel, data in files.items()}
    _write_file(staging / f"{MANIFEST}.new", _manifest_bytes(hashes, complete=True))
    _step()
    os.replace(staging / f"{MANIFEST}.new", staging / MANIFEST)
    _fsync_dir(staging)
    _step()


def _switch(staging: Path, target: Path, mode: str) -> None:
    if mode == "create":
        os.rename(staging, target)
        _fsync_dir(target.parent)
        _step()
        return
    if _exchange(staging, target):
        _fsync_dir(target.parent)
        _step()
        shutil.rmtree(staging)  # now the previous outputs
        _step()
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    _step()
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(old, target)
        raise
    _fsync_dir(target.parent)
    _step()
    shutil.rmtree(old)
    _step()


def _place_in(staging: Path, target: Path, files: dict[str, bytes], ours: dict) -> None:
    """--force into a folder with other files: each file is replaced atomically on its own
    (the set is not); the manifest names old and new versions until the end."""
    new = {rel: sha256(data) for rel, data in files.items()}
    pending = {rel: [h for h in (ours.get(rel), new.get(rel)) if h] for rel in {*ours, *new}}
    _write_file(target / f"{MANIFEST}.new", _manifest_bytes(pending, complete=False))
    os.replace(target / f"{MANIFEST}.new", target / MANIFEST)
    _fsync_dir(target)
    _step()
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target / rel)
        _fsync_dir((target / rel).parent)
        _step()
    for rel in sorted(set(ours) - set(new)):
        (target / rel).unlink(missing_ok=True)
        _step()
    _write_file(target / f"{MANIFEST}.new", _manifest_bytes(new, complete=True))
    os.replace(target / f"{MANIFEST}.new", target / MANIFEST)
    _fsync_dir(target)
    _step()
    shutil.rmtree(staging)
    _step()


def _checked(target: Path, protected: Iterable[Path]) -> Path:
    target = Path(os.path.abspath(target))
    if not target.name or target.name in (".", ".."):
        raise OutputFolderError("out_no_name", target=target)
    _refuse_protected(target, protected)
    existing = next(p for p in target.parents if os.path.lexists(p))
    if not existing.is_dir():
        raise OutputFolderError("out_parent_is_file", existing=existing, target=target)
    return target


def check_target(target: Path, *, force: bool = False, protected: Iterable[Path] = ()) -> None:
    """Refuse an unusable output path before anything is computed (publish checks again)."""
    _plan(_checked(target, protected), [], force)


def publish(
    target: Path,
    files: dict[str, bytes],
    *,
    force: bool = False,
    protected: Iterable[Path] = (),
    say: Say = lambda _: None,
) -> None:
    """Make `target` hold exactly `files` (relative posix path → bytes) plus the manifest."""
    target = _checked(target, protected)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        recover(target, say)
        mode, ours = _plan(target, files, force)
        staging = None
        try:
            staging = _new_staging(target)
            _stage(staging, files)
            if mode == "in_place":
                _place_in(staging, target, files, ours)
            else:
                _switch(staging, target, mode)
            staging = None
        except OSError as exc:  # disk full, quota, permissions: the previous outputs stay
            raise OutputFolderError(
                "out_write_failed" if mode != "in_place" else "out_write_failed_in_place",
                target=target,
                detail=f"{exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}",
            ) from None
        finally:
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
