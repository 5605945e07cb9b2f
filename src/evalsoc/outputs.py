"""Write a run's outputs: rendered in memory, then published by the output-folder rule
(output_folder.py): a run that fails or is killed leaves the previous outputs as they were,
and no file evalsoc did not write is ever replaced."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from evalsoc.output_folder import publish

Say = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


def quarantine_csv(table: Any, delimiter: str | None, encoding: str | None) -> tuple[bytes, str]:
    """A quarantine table as its source was written: same delimiter and encoding, formula
    cells neutralised, line breaks quoted. Returns (bytes, encoding used)."""
    from evalsoc.spreadsheet import csv_text, encode_like_source

    cells = table.astype(object).where(table.notna(), "")
    text = csv_text(
        [str(c) for c in cells.columns], cells.itertuples(index=False), delimiter or ","
    )
    return encode_like_source(text, encoding)


def quarantine_files(
    quarantines: dict[str, Any], formats: dict[str, dict[str, Any]], say: Say = _quiet
) -> dict[str, bytes]:
    """invalid/<source>.csv for each source with refused rows."""
    files = {}
    for name, table in quarantines.items():
        if not len(table):
            continue
        source = formats.get(name, {})
        csv_source = source.get("format") == "csv"
        delimiter = source.get("delimiter") if csv_source else ","
        encoding = source.get("encoding") if csv_source else "utf-8"
        files[f"invalid/{name}.csv"], used = quarantine_csv(table, delimiter, encoding)
        if used != (encoding or "utf-8"):
            say(f"invalid/{name}.csv: written in UTF-8, since a value has no place in {encoding}")
    return files


def source_formats(reports: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What the reader detected for each source (format, delimiter, encoding)."""
    return {
        name: {"format": r.info.format, "delimiter": r.info.delimiter, "encoding": r.info.encoding}
        for name, r in reports.items()
    }


def stopped_dir(target: Path) -> Path:
    return target.with_name(f"{target.name}.stopped")


def write_quarantine_only(
    target: Path,
    quarantines: dict[str, Any],
    formats: dict[str, dict[str, Any]] | None = None,
    *,
    force: bool = False,
    protected: Iterable[Path] = (),
    say: Say = _quiet,
) -> Path:
    """When the policy stops a run, show which rows were refused, beside the output folder:
    the previous outputs stay exactly as they were."""
    stopped = stopped_dir(target)
    files = quarantine_files(quarantines, formats or {}, say)
    files["STOPPED.txt"] = (
        "This run was stopped by the data policy: see invalid/ for the refused rows.\n"
        f"The outputs of the last complete run, if any, are still in {target.name}/.\n"
    ).encode()
    publish(stopped, files, force=force, protected=protected, say=say)
    return stopped


def write_outputs(
    results: Any,
    target: Path,
    progress: Callable[[str], None] = _quiet,
    *,
    force: bool = False,
    protected: Iterable[Path] = (),
    say: Say = _quiet,
    formats: tuple[str, ...] = ("html", "json"),
) -> None:

    files = {"run.json": (json.dumps(results.run, indent=2) + "\n").encode("utf-8")}
    files.update(quarantine_files(results.quarantines, results.data.get("data", {}), say))
    files.update(_rendered(results, formats, progress))
    publish(target, files, force=force, protected=protected, say=say)


def _rendered(
    results: Any, formats: tuple[str, ...], progress: Callable[[str], None]
) -> dict[str, bytes]:
    """Each chosen format's file(s), rendered by its writer into a private scratch folder and
    read back, so that publishing (manifest, atomic swap) stays in one place."""
    import tempfile

    from evalsoc.report.writers.parallel import write_formats

    out: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory(prefix="evalsoc-render-") as scratch:
        folder = Path(scratch)
        write_formats(results, formats, folder, progress)
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out[path.relative_to(folder).as_posix()] = path.read_bytes()
    return out
