"""The `dataplan-lint` console script.

The common form, `dataplan-lint check [PATHS] [options]` (what pre-commit, the GitHub
Action and most people run), is parsed here without importing click, which costs more
than the rest of the start-up of a clean run: `check_options.parse_fast` reads the same
option table click's options are generated from. Every other command line, including
`--help`, usage errors and anything unusual, goes to the click application in
`cli/commands.py`, which owns help, usage errors and all other commands.
"""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from dataplan_lint.cli.check_options import parse_fast

        request = parse_fast(sys.argv[1:])
        if request is None:
            from dataplan_lint.cli.commands import main as click_main

            click_main()
            return
        from dataplan_lint.cli.check_command import run_check

        code = run_check(request)
    except KeyboardInterrupt:  # also while importing, before click is in charge
        import os
        import signal

        # Exit at once (no atexit hooks joining the worker pool's threads), so neither a
        # second Ctrl-C nor a half-stopped pool adds a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        sys.stderr.write("dataplan-lint: interrupted\n")
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(130)
    sys.exit(code)
