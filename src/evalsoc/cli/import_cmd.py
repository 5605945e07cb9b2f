"""`evalsoc import xlsform FORM.xlsx` and `evalsoc import spss FILE.sav`: print (or write
with -o, never over an existing file) the `data:` block of a framework."""

from __future__ import annotations

from pathlib import Path

import click

_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this new file (an existing file is never overwritten).",
)
_INPUT = click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))


@click.group("import")
def import_group() -> None:
    """Write the `data:` block of a framework from a form or a labelled data file."""


@import_group.command("xlsform")
@_INPUT
@click.option(
    "--tool",
    type=click.Choice(["kobo", "odk"]),
    default="kobo",
    show_default=True,
    help="Export whose headers to expect: kobo (group/question) or odk (group-question).",
)
@_OUTPUT
def xlsform(path: Path, tool: str, output: Path | None) -> None:
    """Columns, choices with their FR/EN labels, required, min/max from an XLSForm."""
    from evalsoc.cli.common import _guard

    def action() -> int:
        from evalsoc.declare.emit import write_or_print
        from evalsoc.declare.xlsform import xlsform_block

        write_or_print(xlsform_block(path, tool), output)
        return 0

    _guard(action)


@import_group.command("spss")
@_INPUT
@_OUTPUT
def spss(path: Path, output: Path | None) -> None:
    """Columns, value labels and user-missing codes from an SPSS .sav/.zsav file."""
    from evalsoc.cli.common import _guard

    def action() -> int:
        from evalsoc.declare.emit import write_or_print
        from evalsoc.declare.spss import spss_block

        write_or_print(spss_block(path), output)
        return 0

    _guard(action)
