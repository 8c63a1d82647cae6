"""Built-in rule functions; `table.py` maps each name rules use to its code.

`checks/<name>.py`: the generic functions (`present`, `pattern`, `reference-exists`, ...),
called per match of a rule's `given` with the rule context (`fn(ctx, value, pointer,
options)`, the shape plugins have too). `checks/domain/<topic>.py`: all gate logic, as
pure functions of the plan's data (`check(data, options) -> Iterable[Issue]`). The
engine's registry imports a module only when a rule calling one of its functions runs.
"""
