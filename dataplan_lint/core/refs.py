"""How a git ref is shown to people: a full commit id shortened, anything else as given.

The GitHub Action passes the pull request's base as a 40-character commit id; messages,
notes and summaries show its first 12 characters, as GitHub and `git log --abbrev=12`
do, so a finding's text stays readable. Names (`origin/main`, `HEAD`) are unchanged.
"""

from __future__ import annotations

from dataplan_lint.core import regexes

SHORT = 12


def shown_ref(ref: str) -> str:
    return ref[:SHORT] if regexes.COMMIT_ID.compile().fullmatch(ref) else ref
