"""The command line: click commands, the `check` command and the fast argv path."""
