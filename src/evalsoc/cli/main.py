"""`evalsoc run | validate | init | schema`. Exit codes: 0 success (possibly with quarantined
rows and warnings), 1 data refused by policy, 2 framework or usage error, 3 internal error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _err(message: str) -> None:
    click.echo(message, err=True)


def _guard(action: Callable[[], int | None]) -> None:
    """Run a command; user errors become a message and their exit code, never a traceback."""
    from evalsoc.errors import EvalsocError

    try:
        code = action() or EXIT_OK
    except EvalsocError as exc:
        _err(f"error: {exc}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted: nothing was written")
        sys.exit(130)
    except OSError as exc:  # output folder not writable, disk full, path is a file...
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        _err(f"error: cannot write{where}: {exc.strerror or exc}")
        sys.exit(EXIT_USAGE)
    except MemoryError:
        _err("error: not enough memory for this data")
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        _err(
            f"internal error ({type(exc).__name__}): {exc}\n"
            "This is a bug in evalsoc; please report it with the command you ran "
            "(set EVALSOC_DEBUG=1 to see the details)."
        )
        import os

        if os.environ.get("EVALSOC_DEBUG"):
            raise
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


class _Progress:
    """A rich spinner on a terminal; plain lines otherwise (logs, CI)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.status: Any = None

    def __enter__(self) -> _Progress:
        if not self.quiet and sys.stderr.isatty():
            from rich.console import Console

            self.status = Console(stderr=True).status("evalsoc")
            self.status.__enter__()
        return self

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        if self.status is not None:
            self.status.update(message)
        else:
            click.echo(f"· {message}", err=True)

    def __exit__(self, *exc: object) -> None:
        if self.status is not None:
            self.status.__exit__(*exc)


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
@click.option("-q", "--quiet", is_flag=True, help="Print only the result line.")
def run(
    framework: Path,
    out_dir: Path | None,
    lang: str | None,
    seed: int | None,
    formats: str,
    edition: str | None,
    quiet: bool,
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
        with _Progress(quiet) as progress:
            results = run_framework(
                fw,
                out_dir=target,
                lang=lang,
                seed=seed,
                progress=progress,
                edition=edition,
                formats=chosen,
            )
        data = results.data
        quarantined = sum(s["rows_quarantined"] for s in data["data"].values())
        read = sum(s["rows_read"] for s in data["data"].values())
        click.echo(f"rows read: {read}, used: {read - quarantined}, quarantined: {quarantined}")
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
        return EXIT_OK

    _guard(action)


@cli.command()
@click.argument("framework", type=click.Path(dir_okay=False, path_type=Path))
def validate(framework: Path) -> None:
    """Check the framework and its data; print the validation summary; compute nothing."""

    def action() -> int:
        from evalsoc.framework.load import load_framework
        from evalsoc.pipeline import check_columns, enforce_policy, load_data

        fw = load_framework(framework)
        click.echo(
            f"framework {fw.id}: OK ({len(fw.all_indicators())} indicators, {len(fw.data)} data sources)"
        )
        _frames, reports, _q = load_data(fw)
        for name, report in reports.items():
            click.echo(
                f"{name}: {report.rows_read} rows read, {report.rows_used} used, "
                f"{report.rows_quarantined} quarantined ({report.info.format}"
                + (
                    f", {report.info.encoding}, delimiter {report.info.delimiter!r}, decimal {report.info.decimal!r}"
                    if report.info.format == "csv"
                    else ""
                )
                + ")"
            )
            for check, count in sorted(report.failures.items()):
                click.echo(f"  - {check}: {count}")
            for note in report.notes:
                click.echo(f"  note: {note['en']}")
        check_columns(fw, _frames)
        enforce_policy(fw, reports)
        click.echo("framework and data: OK")
        return EXIT_OK

    _guard(action)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option(
    "--template", default="centre-social", show_default=True, help="Template name (see --list)."
)
@click.option("--list", "list_only", is_flag=True, help="List the templates and exit.")
def init(directory: Path | None, template: str, list_only: bool) -> None:
    """Create a working framework and a small dataset in DIRECTORY."""

    def action() -> int:
        from evalsoc.errors import FrameworkError
        from evalsoc.scaffold import TEMPLATES, scaffold

        if list_only:
            for name, description in TEMPLATES.items():
                click.echo(f"{name}: {description}")
            return EXIT_OK
        if directory is None:
            raise FrameworkError("evalsoc init needs a DIRECTORY (or --list)")
        path = scaffold(directory, template)
        click.echo(f"created {path}")
        click.echo(f"next: evalsoc run {path}")
        return EXIT_OK

    _guard(action)


@cli.command()
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file instead of standard output.",
)
def schema(output: Path | None) -> None:
    """Print the JSON Schema of the framework format (for editor completion)."""

    def action() -> int:
        from evalsoc.framework.schema import framework_schema_json

        text = framework_schema_json()
        if output:
            output.write_text(text, encoding="utf-8")
            click.echo(f"wrote {output}")
        else:
            click.echo(text)
        return EXIT_OK

    _guard(action)


def main() -> None:
    cli(prog_name="evalsoc")
