"""Write a run's outputs atomically: a run that fails leaves the previous outputs untouched,
never a half-written report that looks complete."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _swap_into_place(staging: Path, target: Path) -> None:
    """Replace `target` by the fully written `staging` directory."""
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        staging.rename(target)


def _staging_dir(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)  # an ordinary folder, not mkdtemp's private 0700
    return staging


def _write_quarantine(folder: Path, quarantines: dict[str, Any]) -> None:
    for name, table in quarantines.items():
        if len(table):
            folder.mkdir(exist_ok=True)
            table.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8")


def stopped_dir(target: Path) -> Path:
    return target.with_name(f"{target.name}.stopped")


def write_quarantine_only(target: Path, quarantines: dict[str, Any]) -> Path:
    """When the policy stops a run, show which rows were refused, beside the output folder:
    the previous outputs stay exactly as they were."""
    stopped = stopped_dir(target)
    staging = _staging_dir(stopped)
    try:
        _write_quarantine(staging / "invalid", quarantines)
        (staging / "STOPPED.txt").write_text(
            "This run was stopped by the data policy: see invalid/ for the refused rows.\n"
            f"The outputs of the last complete run, if any, are still in {target.name}/.\n",
            encoding="utf-8",
        )
        _swap_into_place(staging, stopped)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return stopped


def write_outputs(
    results: Any,
    target: Path,
    progress: Callable[[str], None] = lambda _: None,
    formats: tuple[str, ...] = ("html", "json"),
) -> None:
    from evalsoc.report.writers import writer

    staging = _staging_dir(target)
    try:
        (staging / "run.json").write_text(
            json.dumps(results.run, indent=2) + "\n", encoding="utf-8"
        )
        _write_quarantine(staging / "invalid", results.quarantines)
        for name in formats:
            progress(f"writing {writer(name).FILENAME}")
            writer(name).write(results, staging)
        _swap_into_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
