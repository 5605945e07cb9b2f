"""`evalsoc run | validate | init | schema`. Exit codes: 0 success (possibly with quarantined
rows and warnings), 1 data refused by policy, 2 framework or usage error, 3 internal error."""

from __future__ import annotations

from pathlib import Path

import click

from evalsoc.cli.common import (
    DERIVED_FORMATS,
    EXIT_OK,
    _err,
    _guard,
    _Progress,
)
from evalsoc.cli.compare import compare, history
from evalsoc.cli.import_cmd import import_group

# `run` and `validate` choose the engine alike.
ENGINE_OPTION = click.option(
    "--engine",
    type=click.Choice(["pandas", "duckdb", "spark", "auto"]),
    help="Engine that reads and computes (default: the framework's `engine`, else pandas); "
    "see docs/scale.md.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="evalsoc")
def cli() -> None:
    """evalsoc: evaluate the social utility and the social impact of a programme from a YAML
    framework (grille d'évaluation)."""


@cli.command()
@click.argument("framework", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: evalsoc-output/<id>/).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    help="Language of the report (default: the framework's).",
)
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    help="Random seed (default: the framework's `seed`).",
)
@click.option(
    "--format",
    "formats",
    default="html,json",
    show_default=True,
    help="Outputs, comma-separated: html, json, pdf, xlsx, docx, or all.",
)
@click.option(
    "--edition",
    type=click.Choice(["public", "funder"]),
    help="public (small counts suppressed) or funder (restricted: every count shown, each page "
    "marked not to be published). Default: the framework's privacy.edition, else public.",
)
@ENGINE_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print only the result line.")
@click.option(
    "--force",
    is_flag=True,
    help="Write into a non-empty folder evalsoc did not make, beside its files (never "
    "replacing a file evalsoc did not write).",
)
@click.option(
    "--record",
    is_flag=False,
    flag_value="",
    default=None,
    metavar="[PATH]",
    help="Also store the results in the history store (default: beside the framework).",
)
def run(
    framework: Path,
    out_dir: Path | None,
    lang: str | None,
    seed: int | None,
    formats: str,
    edition: str | None,
    engine: str | None,
    quiet: bool,
    force: bool,
    record: str | None,
) -> None:
    """Validate the data, compute everything and write the chosen outputs."""

    def action() -> int:
        from evalsoc.framework.load import load_framework
        from evalsoc.pipeline import run_framework
        from evalsoc.report.writers import check_formats, parse_formats, writer

        chosen = parse_formats(formats)
        check_formats(chosen)
        fw = load_framework(framework)
        target = out_dir or Path("evalsoc-output") / fw.id
        from evalsoc.compare.history import default_store

        store = (
            (Path(record) if record else default_store(framework)) if record is not None else None
        )
        if store is None and default_store(framework).exists():
            store = default_store(framework)  # an existing store beside it: draw the trends
        from evalsoc.report.writers.parallel import early_pdf_worker

        # The PDF worker starts now: WeasyPrint's import overlaps the analysis (issue 11).
        with early_pdf_worker(chosen, fw), _Progress(quiet) as progress:
            results = run_framework(
                fw,
                out_dir=target,
                lang=lang,
                seed=seed,
                progress=progress,
                force=force,
                say=lambda message: _err(f"note: {message}"),
                edition=edition,
                formats=chosen,
                engine=engine,
                history_store=store,
            )
        data = results.data
        # Rows of files only: a source built by join/stack/wide_to_long re-reads them.
        files = [s for s in data["data"].values() if s["format"] not in DERIVED_FORMATS]
        quarantined = sum(s["rows_quarantined"] for s in files)
        read = sum(s["rows_read"] for s in files)
        filtered = sum(s.get("rows_filtered", 0) for s in files)
        used = read - quarantined - filtered
        click.echo(
            f"rows read: {read}, used: {used}, quarantined: {quarantined}"
            + (f", filtered out: {filtered}" if filtered else "")
        )
        from evalsoc.quarantine_summary import failure_lines

        for name, table in results.quarantines.items():
            for line in failure_lines(table):
                click.echo(f"  {name} · {line}")
        if data["warnings"]:
            click.echo(f"warnings: {len(data['warnings'])} (see the report's annex)")
            if not quiet:
                for w in data["warnings"]:
                    click.echo(f"  - [{w['section']}] {w['message']}", err=True)
        if data["framework"].get("edition") == "funder":
            click.echo("edition: funder (restricted, do not publish)")
        shown = {"html": "report", "json": "results"}
        for name in chosen:
            click.echo(f"{shown.get(name, name)}: {target / writer(name).FILENAME}")
        if record is not None:
            from evalsoc.compare.history import record_file

            assert store is not None
            run_id = record_file(store, results, framework)
            click.echo(f"recorded: run #{run_id} in {store}")
        return EXIT_OK

    from evalsoc.startup import collector_paused

    with collector_paused():  # until the data's libraries are imported (evalsoc/startup.py)
        _guard(action, lang=lang)


@cli.command()
@click.argument("framework", type=click.Path(dir_okay=False, path_type=Path))
@ENGINE_OPTION
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    help="Language of the error messages (default: the framework's `language:`, else the "
    "locale's; see docs/errors.md).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print the problems as a JSON list ({code, title, position, message: {fr, en}}; "
    "empty when all is well) instead of the summary.",
)
def validate(framework: Path, engine: str | None, lang: str | None, as_json: bool) -> None:
    """Check the framework and its data; print the validation summary; compute nothing."""
    echo = (lambda *args, **kwargs: None) if as_json else click.echo

    def action() -> int:
        from evalsoc.engines.choice import choose_engine
        from evalsoc.engines.registry import check_engine
        from evalsoc.framework.load import load_framework
        from evalsoc.pipeline import check_columns, enforce_policy, load_data

        fw = load_framework(framework)
        choice = choose_engine(fw, engine)
        check_engine(choice.name)
        echo(
            f"framework {fw.id}: OK ({len(fw.all_indicators())} indicators, {len(fw.data)} data sources)"
        )
        from evalsoc.quarantine_summary import failure_lines

        _frames, reports, quarantines = load_data(fw, engine=choice)  # DuckDB: out of core
        for name, report in reports.items():
            echo(
                f"{name}: {report.rows_read} rows read, {report.rows_used} used, "
                f"{report.rows_quarantined} quarantined ({report.info.format}"
                + (
                    f", {report.info.encoding}, delimiter {report.info.delimiter!r}, decimal {report.info.decimal!r}"
                    if report.info.format == "csv"
                    else ""
                )
                + ")"
            )
            for line in failure_lines(quarantines[name]):
                echo(f"  - {line}")
            if report.rows_filtered or report.rows_unmatched:
                echo(
                    f"  {report.rows_filtered} filtered out (where), "
                    f"{report.rows_unmatched} without a match (join)"
                )
            for col, codes in report.missing_codes.items():
                for code, count in codes.items():
                    echo(f"  missing code {col} = {code}: {count}")
            for note in report.notes:
                echo(f"  note: {note['en']}")
        check_columns(fw, _frames)
        enforce_policy(fw, reports)
        echo("framework and data: OK")
        if as_json:
            click.echo("[]")
        return EXIT_OK

    from evalsoc.startup import collector_paused

    with collector_paused():  # until the data's libraries are imported (evalsoc/startup.py)
        _guard(action, lang=lang, as_json=as_json)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option(
    "--template", default="centre-social", show_default=True, help="Template name (see --list)."
)
@click.option("--list", "list_only", is_flag=True, help="List the templates and exit.")
@click.option(
    "--seed",
    type=click.IntRange(0, 2**32 - 1),
    help="Seed of the template's data generator (default: the template's own).",
)
@click.option(
    "--lang",
    type=click.Choice(["fr", "en"]),
    help="Language of --list (default: from LC_ALL / LC_MESSAGES / LANG).",
)
def init(
    directory: Path | None, template: str, list_only: bool, seed: int | None, lang: str | None
) -> None:
    """Create a working framework, its seeded data and truth.json in DIRECTORY."""

    def action() -> int:
        from evalsoc.errors import FrameworkError
        from evalsoc.scaffold import describe, scaffold, user_language

        if list_only:
            for line in describe(user_language(lang)):
                click.echo(line)
            return EXIT_OK
        if directory is None:
            raise FrameworkError("init_needs_directory")
        path = scaffold(directory, template, seed)
        click.echo(f"created {path}")
        click.echo(f"next: evalsoc run {path}")
        return EXIT_OK

    _guard(action, lang=lang)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file instead of standard output.",
)
@click.option(
    "--results",
    "of_results",
    is_flag=True,
    help="The JSON Schema of results.json (format 2) instead of the framework's.",
)
@click.option("--compare", "of_compare", is_flag=True, help="The schema of compare.json instead.")
def schema(output: Path | None, of_results: bool, of_compare: bool) -> None:
    """Print the JSON Schema of the framework format (for editor completion), of results.json
    or of compare.json."""

    def action() -> int:
        if of_results:
            from evalsoc.results_schema import results_schema_text

            text = results_schema_text().rstrip("\n")
        elif of_compare:
            from evalsoc.compare.model import compare_schema_json

            text = compare_schema_json()
        else:
            from evalsoc.framework.schema import framework_schema_json

            text = framework_schema_json()
        if output:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output}")
        else:
            click.echo(text)
        return EXIT_OK

    _guard(action)


cli.add_command(compare)
cli.add_command(history)
cli.add_command(import_group)


def main() -> None:
    from evalsoc.cli.plugins import skip_plugin_scans
    from evalsoc.startup import command_line

    skip_plugin_scans()
    command_line()
    cli(prog_name="evalsoc")
