"""Built-in rule functions; `table.py` maps each name rules use to its code.

`checks/<name>.py`: the generic functions and the per-match gate functions, called with
the rule context (`fn(ctx, value, pointer, options)`, the shape plugins have too).
`checks/domain/<topic>.py`: gate logic as pure functions of the plan's data
(`check(data, options) -> Iterable[Issue]`). The engine's registry imports a module only
when a rule calling one of its functions runs.
"""
