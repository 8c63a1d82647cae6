"""dataplan-lint: a linter and CI gate for data plans."""

__version__ = "0.1.0"
