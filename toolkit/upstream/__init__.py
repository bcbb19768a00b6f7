"""Upstream imports: datasets the package follows, read snapshot by snapshot through a mapping.

mapping (the TOML that says what an upstream's files hold), snapshot (one commit's files, read and
judged), judgement (a figure new, the same, changed or a correction), plan (what an import does to
the tables), series_import (import and rebuild, all or nothing), update (an upstream's git history,
followed commit by commit), freshness (how old each series' newest figure is), and their renderers.
Hand contributions (add-source, extract, add, fix, the pull-request gate) are in contribute/.
"""
