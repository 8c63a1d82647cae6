"""Identities of plan elements that survive unrelated edits (for baseline fingerprints).

A JSON pointer such as `/sources/3/kind` names a position: insert a source at the top and
it names another source. `stable_pointer` replaces each list position by the item's own
identity - the value of its `id`, `name` or `stage` key when it has one, else a short
digest of its content - giving `/sources/[id=web_clicks]/kind`. `repository_path` names a
file relative to its repository root, whatever folder the command runs from.
"""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

IDENTITY_KEYS = ("id", "name", "stage")
# Deep enough for any real plan; a pointer is never walked further than this.
MAX_DEPTH = 64


def repository_path(path: str) -> str:
    """`path` (relative to the working directory, or absolute) relative to the root of the
    git repository holding it; unchanged when it is in no repository."""
    from dataplan_lint.files.discovery import repository_root

    if path == "-":
        return path
    # Lexically normalised: `../cdc.dataplan.yaml` from `plans/sub` is `plans/cdc...`,
    # not `plans/sub/../cdc...` (symlinks are kept, as discovery keeps them).
    absolute = Path(os.path.normpath(Path.cwd() / path))
    root = repository_root(str(absolute.parent))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


def _escape(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


def item_identity(item: Any) -> str:
    """`[id=x]` for an item with an identity key, else `[#digest]` of its content."""
    if isinstance(item, Mapping):
        for key in IDENTITY_KEYS:
            value = item.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return f"[{key}={_escape(str(value))}]"
    try:
        text = json.dumps(item, sort_keys=True, default=str, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        text = repr(type(item))
    return f"[#{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}]"


def stable_pointer(data: Any, pointer: str) -> str:
    """`pointer` with every list index replaced by that item's identity (see above).

    Steps that do not resolve in `data` are kept as they are.
    """
    if not pointer or data is None:
        return pointer
    tokens = pointer.split("/")[1:]
    out: list[str] = []
    here: Any = data
    for depth, token in enumerate(tokens):
        if depth >= MAX_DEPTH:
            out.extend(tokens[depth:])
            break
        if isinstance(here, list) and token.isdigit() and int(token) < len(here):
            here = here[int(token)]
            out.append(item_identity(here))
            continue
        out.append(token)
        key = token.replace("~1", "/").replace("~0", "~")
        here = here.get(key) if isinstance(here, Mapping) else None
    return "/" + "/".join(out)
