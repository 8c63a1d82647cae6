"""Contract compatibility: a tool-neutral field model, schema-file readers, a differ, a
classifier per compatibility mode, in-file history, a git base and waivers.

Nothing here is imported on the hot path of a plain `check` unless the plan has contracts;
the format readers (fastavro, proto-schema-parser) and git are only touched when a plan
references schema files or the run was given `--base`.
"""
