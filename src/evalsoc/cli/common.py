"""What every command shares: exit codes, the error guard and the progress line.

Exit codes: 0 success (possibly with quarantined rows and warnings), 1 data refused by policy,
2 framework or usage error, 3 internal error. Commands live in main.py, compare.py and
import_cmd.py; each imports this module, none imports another command module.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
DERIVED_FORMATS = ("join", "stack", "wide_to_long")


def _err(message: str) -> None:
    click.echo(message, err=True)


def _guard(
    action: Callable[[], int | None], *, lang: str | None = None, as_json: bool = False
) -> None:
    """Run a command; user errors become a message and their exit code, never a traceback.
    The message is in `lang` (--lang), else the framework's `language:`, else the locale's
    (errors.user_language); with `as_json` the problems go to stdout as a JSON list."""
    from evalsoc.errors import EvalsocError, FrameworkError, forget_languages, prefer_language

    forget_languages()
    prefer_language("option", lang)
    try:
        code = action() or EXIT_OK
    except EvalsocError as exc:
        _report_error(exc, as_json)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _err("interrupted: nothing was written")
        sys.exit(130)
    except OSError as exc:  # output folder not writable, disk full, path is a file...
        where = f" {exc.filename}" if getattr(exc, "filename", None) else ""
        _report_error(
            FrameworkError("cannot_write", where=where, detail=exc.strerror or exc), as_json
        )
        sys.exit(EXIT_USAGE)
    except MemoryError:
        _report_error(FrameworkError("out_of_memory"), as_json)
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
        notes = "".join(f"\n  {note}" for note in getattr(exc, "__notes__", []))
        _err(
            f"internal error ({type(exc).__name__}): {exc}{notes}\n"
            "This is a bug in evalsoc; please report it with the command you ran "
            "(set EVALSOC_DEBUG=1 to see the details)."
        )
        import os

        if os.environ.get("EVALSOC_DEBUG"):
            raise
        sys.exit(EXIT_INTERNAL)
    sys.exit(code)


def _report_error(exc: Any, as_json: bool) -> None:
    """`error [code]: position: message` in the user's language, one line per gathered
    problem below it; or the problems as JSON on stdout."""
    from evalsoc.errors import user_language

    if as_json:
        import json

        click.echo(json.dumps(exc.as_list(), ensure_ascii=False, indent=2))
        return
    lang = user_language()
    word = "erreur" if lang == "fr" else "error"
    _err(f"{word} [{exc.code}]: {exc.message(lang, problems=False)}")
    for problem in exc.problems:
        _err(f"  [{problem.code}] {problem.message(lang)}")


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
