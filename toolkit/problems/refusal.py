"""A refused command (exit 2, or 1 for data an import refuses) in the format its reader asked for.

A command that cannot run still has a reader: the Actions log shows annotations, a pull request
shows the Markdown comment, a script parses JSON. Each gets the cause and the fix in its own
form; stderr always has the plain line, so a person at a terminal sees it as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

COMMENT_MARKER = "<!-- claims-check -->"  # the workflow finds its own comment by this line and edits it


@dataclass(frozen=True, kw_only=True)
class Refusal:
    command: str
    message: str
    exit_code: int
    internal: bool = False  # a bug in claims rather than something the user can fix

    @property
    def line(self) -> str:
        return f"{'internal error' if self.internal else 'error'}: {self.message}"


def _gh_escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render_github(refusal: Refusal) -> str:
    title = f"claims {refusal.command} could not run".replace(",", "%2C").replace(":", "%3A")
    return f"::error title={title}::{_gh_escape(refusal.message)}\n"


def render_markdown(refusal: Refusal) -> str:
    lines = [COMMENT_MARKER, f"## ⛔ claims {refusal.command} could not run", ""]
    lines += ["> " + line if line else ">" for line in refusal.message.splitlines()]
    stopped = f"The command stopped before checking anything (exit {refusal.exit_code})"
    lines += ["", f"{stopped}: fix the cause above and run it again."]
    return "\n".join(lines) + "\n"


def render_json(refusal: Refusal) -> str:
    out = {
        "format": "claims-refusal",
        "format_version": 1,
        "command": refusal.command,
        "ok": False,
        "exit_code": refusal.exit_code,
        "internal_error": refusal.internal,
        "error": refusal.message,
    }
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


# text (and a diff's CSV) has no stdout form: the stderr line is the whole refusal
RENDERERS = {"github": render_github, "markdown": render_markdown, "json": render_json}
