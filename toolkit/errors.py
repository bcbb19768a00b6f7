"""Exceptions: only for a broken environment or a wrong invocation, never for bad data.

Bad data becomes a Problem in a Report. The CLI turns a ToolkitError into exit code 2 with its
message and no traceback (unless --debug).
"""


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""


class UsageError(ToolkitError):
    """The command was asked for something that cannot be done (bad path, missing ref...)."""
