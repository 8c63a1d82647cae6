"""Authoring helpers: `init` writes a starter plan, `bundle` renders one for review."""
