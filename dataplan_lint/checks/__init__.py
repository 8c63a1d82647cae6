"""Built-in rule functions, one module per function (yamllint style).

Each module registers its function with `@function("name")` from
`dataplan_lint.engine.registry`; the registry imports a module only when a rule uses
its function (module name = function name with `-` as `_`, or a leading part of it).
"""
