"""The error types users see. Each carries a message meant for a person, never a traceback."""

from __future__ import annotations


class EvalsocError(Exception):
    """Base of every error evalsoc reports to its user."""

    exit_code = 2


class FrameworkError(EvalsocError):
    """The framework file (or a usage of the CLI) is wrong: exit code 2."""

    exit_code = 2


class DataPolicyError(EvalsocError):
    """The data were refused by the framework's policy (too many invalid rows...): exit code 1."""

    exit_code = 1


class DataReadError(EvalsocError):
    """A data file cannot be read at all (missing, empty, unreadable): exit code 2."""

    exit_code = 2
