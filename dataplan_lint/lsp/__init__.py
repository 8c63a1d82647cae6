"""`dataplan-lint server`: the language server editors talk to over stdio.

It shows what `check` finds while a plan is being edited (diagnostics), explains a
finding or a key on hover, and offers the findings' fixes and inline suppressions as
code actions. It runs the same pipeline as `check` on the editor's text; pygls and
lsprotocol are imported only here, when the server starts.
"""
