"""A cheap content digest for cache keys and staleness checks.

hashlib loads OpenSSL, which costs a few milliseconds at start-up; these digests only
decide whether a cache or a generated module still matches its source files (no
security depends on them), so two zlib checksums and the length are enough.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable


def content_digest(parts: Iterable[bytes]) -> str:
    crc, adler, length = 0, 1, 0
    for part in parts:
        crc = zlib.crc32(part, crc)
        adler = zlib.adler32(part, adler)
        length += len(part)
    return f"{crc:08x}{adler:08x}{length:x}"
