"""Other files a schema file refers to: protobuf imports, JSON Schema `$ref`s to files.

A `Fetch` reads them for one schema file: paths are repository-relative and normalised
(a reference may climb with `..` but never above the repository), each file is read
once, and the number of files and their total size are bounded like a schema file's.
What cannot be followed is kept as a note the analysis reports (DP744), so a part of a
contract that was not compared is never passed over in silence.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from dataplan_lint.compat.sources import SchemaFileError

MAX_FILES = 64
"""Referenced files read for one schema file, imports of imports included."""
MAX_NOTES = 20


def join(base_rel: str, target: str) -> str | None:
    """`target` (relative to the folder of `base_rel`) as a repository-relative path, or
    None when it is absolute or climbs above the repository."""
    if not target or target.startswith(("/", "\\")) or (len(target) > 1 and target[1] == ":"):
        return None
    if "://" in target:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_rel), target))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined


@dataclass(slots=True)
class Fetch:
    """Reads referenced files for one schema file; `read` raises SchemaFileError."""

    read: Callable[[str], str]
    max_bytes: int
    prefix: str = ""  # how the files' paths are shown: "" at the head, "REF:" at a base
    notes: list[str] = field(default_factory=list)
    _texts: dict[str, str | SchemaFileError] = field(default_factory=dict)
    _bytes: int = 0

    def text(self, rel: str) -> str:
        """The text of `rel`; raises SchemaFileError (missing, unreadable, over a bound)."""
        if rel not in self._texts:
            if len(self._texts) >= MAX_FILES:
                raise SchemaFileError(f"more than {MAX_FILES} referenced files")
            try:
                text = self.read(rel)
            except SchemaFileError as exc:
                self._texts[rel] = exc
            else:
                self._bytes += len(text)
                if self._bytes > self.max_bytes:
                    self._texts[rel] = SchemaFileError(
                        f"the referenced files add up to more than {self.max_bytes:,} bytes"
                    )
                else:
                    self._texts[rel] = text
        found = self._texts[rel]
        if isinstance(found, SchemaFileError):
            raise found
        return found

    def exists(self, rel: str) -> bool:
        try:
            self.text(rel)
        except SchemaFileError:
            return False
        return True

    def note(self, text: str) -> None:
        if text not in self.notes and len(self.notes) < MAX_NOTES:
            self.notes.append(text)
