"""`evalsoc compare` and `evalsoc history` (registered in cli/main.py)."""

from __future__ import annotations

from pathlib import Path

import click

from evalsoc.cli.common import EXIT_OK, _guard, _Progress


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("evalsoc-compare"),
    show_default=True,
    help="Folder for compare.json and compare.html (and runs/ for frameworks run here).",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML file renaming ids per run when they differ (see docs/compare.md).",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of compare.html.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    default=20250101,
    show_default=True,
    help="Seed of the Monte Carlo rank draws.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only the result lines.")
def compare(
    inputs: tuple[Path, ...],
    out_dir: Path,
    mapping: Path | None,
    lang: str | None,
    seed: int,
    quiet: bool,
) -> None:
    """Set the utility and impact readings side by side (one framework or output folder), or
    compare several runs: trends, pooled effects, rankings, network consolidation."""

    def action() -> int:
        from evalsoc.compare.build import compare_many, compare_one
        from evalsoc.compare.matching import apply_mapping, check_comparable, read_mapping
        from evalsoc.compare.output import write_outputs
        from evalsoc.compare.runs import (
            assign_labels,
            is_framework_file,
            run_from_folder,
            run_from_framework,
            sort_runs,
        )
        from evalsoc.errors import FrameworkError

        if len(set(p.resolve() for p in inputs)) < len(inputs):
            raise FrameworkError("compare_run_twice")
        if mapping is not None and len(inputs) < 2:
            raise FrameworkError("compare_mapping_one_run")
        for path in inputs:
            if not path.exists():
                raise FrameworkError("path_not_found", at=str(path))
        runs = []
        with _Progress(quiet) as progress:
            for path in inputs:
                if is_framework_file(path):
                    runs.append(run_from_framework(path, out_dir, progress=progress))
                else:
                    runs.append(run_from_folder(path))
        assign_labels(runs)
        runs = sort_runs(runs)
        if len(runs) == 1:
            result = compare_one(runs[0])
        else:
            if mapping is not None:
                apply_mapping(runs, read_mapping(mapping), str(mapping))
            check_comparable(runs, mapping is not None)
            result = compare_many(runs, seed)
        language = lang or runs[0].results["framework"].get("language") or "fr"
        json_path, html_path = write_outputs(result, out_dir, language)
        click.echo(f"compared: {len(runs)} run(s)")
        click.echo(f"report: {html_path}")
        click.echo(f"results: {json_path}")
        return EXIT_OK

    _guard(action, lang=lang)


@click.command()
@click.argument("framework", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--store",
    type=click.Path(dir_okay=False, path_type=Path),
    help="History store file (default: beside the framework, <name>.history.duckdb|.sqlite).",
)
@click.option("--indicator", help="Show this indicator's values over the recorded periods.")
def history(framework: Path, store: Path | None, indicator: str | None) -> None:
    """List the recorded runs of a framework (`evalsoc run --record`), flagging indicators
    whose definition changed between periods."""

    def action() -> int:
        import yaml

        from evalsoc.compare.history import default_store, indicator_history, list_runs, open_store
        from evalsoc.errors import FrameworkError

        if not framework.is_file():
            raise FrameworkError("history_framework_not_found", at=str(framework))
        raw = yaml.safe_load(framework.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict) or "id" not in raw:
            raise FrameworkError("history_not_framework", at=str(framework))
        path = store or default_store(framework)
        with open_store(path, create=False) as con:
            if indicator:
                points = indicator_history(con, str(raw["id"]), indicator)
                if not points:
                    raise FrameworkError("history_indicator_empty", at=indicator)
                for p in points:
                    flag = (
                        "  [definition changed: not comparable]" if p["definition_changed"] else ""
                    )
                    value = "suppressed" if p["suppressed"] else p["value"]
                    click.echo(f"{p['period']['start']} – {p['period']['end']}: {value}{flag}")
                return EXIT_OK
            runs = list_runs(con, str(raw["id"]))
        if not runs:
            click.echo(f"no recorded run of {raw['id']} in {path}")
            return EXIT_OK
        click.echo(f"{len(runs)} recorded run(s) of {raw['id']} in {path}")
        for r in runs:
            line = (
                f"#{r['run_id']} {r['period']['start']} – {r['period']['end']} "
                f"(recorded {r['recorded_at']}, {r['indicators']} indicators)"
            )
            if r["definition_changed"]:
                line += f"  definition changed: {', '.join(r['definition_changed'])}"
            click.echo(line)
        return EXIT_OK

    _guard(action)
