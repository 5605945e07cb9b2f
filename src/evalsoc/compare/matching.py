"""Match indicators, effects and criteria across runs by id, through a mapping file when the
ids differ.

Mapping file (YAML), per run label or framework id, the local id → the common id:

    rename:
      cs-nord:      {taux_sortie: taux_emploi}
      cs-sud 2025:  {emploi_sortie: taux_emploi, effet_sortie: effet_emploi}
"""

from __future__ import annotations

from pathlib import Path

from evalsoc.compare.runs import Run
from evalsoc.errors import FrameworkError, either


def read_mapping(path: Path) -> dict[str, dict[str, str]]:
    import yaml

    if not path.is_file():
        raise FrameworkError("mapping_not_found", at=str(path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise FrameworkError("mapping_not_yaml", at=str(path), detail=str(exc)) from None
    rename = data.get("rename") if isinstance(data, dict) else None
    if not isinstance(rename, dict) or not all(
        isinstance(v, dict) and all(isinstance(a, str) and isinstance(b, str) for a, b in v.items())
        for v in rename.values()
    ):
        raise FrameworkError("mapping_shape", at=str(path))
    return {str(k): dict(v) for k, v in rename.items()}


def apply_mapping(runs: list[Run], mapping: dict[str, dict[str, str]], source: str) -> None:
    """Rename ids in place; a run name or id the mapping cites but no run has is an error."""
    known = {r.label for r in runs} | {r.framework_id for r in runs}
    unknown = sorted(set(mapping) - known)
    if unknown:
        raise FrameworkError(
            "mapping_unknown_run",
            at=f"{source}: rename",
            runs=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
    for run in runs:
        table = {**mapping.get(run.framework_id, {}), **mapping.get(run.label, {})}
        if not table:
            continue
        res = run.results
        ids = (
            set(res.get("indicators", {}))
            | set(res.get("effects") or {})
            | set(res.get("criteria", {}))
        )
        missing = sorted(set(table) - ids)
        if missing:
            raise FrameworkError(
                "mapping_unknown_id", at=f"{source}: rename: {run.label}", ids=", ".join(missing)
            )
        for key in ("indicators", "effects", "criteria"):
            if isinstance(res.get(key), dict):
                res[key] = {table.get(k, k): v for k, v in res[key].items()}
        for crit in res.get("criteria", {}).values():
            for entry in crit.get("indicators", []) + crit.get("evidence", []):
                entry["id"] = table.get(entry["id"], entry["id"])
        run.definitions = {table.get(k, k): v for k, v in run.definitions.items()}
        run.weights = {table.get(k, k): v for k, v in run.weights.items()}


def shared_ids(runs: list[Run], key: str) -> tuple[list[str], dict[str, list[str]]]:
    """Ids found in at least two runs (sorted), and per run the ids no other run has."""
    seen: dict[str, int] = {}
    for run in runs:
        for ident in run.results.get(key) or {}:
            seen[ident] = seen.get(ident, 0) + 1
    shared = sorted(i for i, c in seen.items() if c >= 2)
    alone = {
        run.label: sorted(i for i in (run.results.get(key) or {}) if seen[i] == 1) for run in runs
    }
    return shared, {k: v for k, v in alone.items() if v}


def check_comparable(runs: list[Run], mapping_given: bool) -> None:
    if len(runs) < 2:
        raise FrameworkError("compare_needs_two_runs")
    shared = [shared_ids(runs, k)[0] for k in ("indicators", "effects", "criteria")]
    if not any(shared):
        hint = (
            either(
                "vérifiez les renommages du fichier de correspondance",
                "check the mapping file's renames",
            )
            if mapping_given
            else either(
                "si les mêmes choses ont des identifiants différents, donnez un fichier de "
                "correspondance avec --mapping (voir docs/compare.md)",
                "if the same things have different ids, give a mapping file with --mapping "
                "(see docs/compare.md)",
            )
        )
        counts = {
            lang: ", ".join(
                f"{r.label}: {len(r.results.get('indicators', {}))} {word}" for r in runs
            )
            for lang, word in (("fr", "indicateurs"), ("en", "indicators"))
        }
        raise FrameworkError("compare_nothing_in_common", counts=counts, hint=hint)
