"""A small PNG reader for screenshot tests (8-bit RGB/RGBA, not interlaced): zlib only.

Chromium writes its screenshots in that form. `read(path)` returns the image as rows of
RGB triples; the tests count colours in regions, so no other PNG feature is needed.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]  # each row: width * 3 bytes of RGB

    def pixel(self, x: int, y: int) -> tuple[int, int, int]:
        row = self.rows[y]
        return row[3 * x], row[3 * x + 1], row[3 * x + 2]

    def colours(self, box: tuple[int, int, int, int] | None = None) -> dict[str, int]:
        """How many pixels of each colour (as '#rrggbb') inside box (left, top, right, bottom)."""
        left, top, right, bottom = box or (0, 0, self.width, self.height)
        counts: dict[str, int] = {}
        for y in range(max(top, 0), min(bottom, self.height)):
            row = self.rows[y][3 * max(left, 0) : 3 * min(right, self.width)]
            for n in range(0, len(row), 3):
                key = row[n : n + 3].hex()
                counts[key] = counts.get(key, 0) + 1
        return {f"#{key}": count for key, count in counts.items()}


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read(path: Path) -> Image:
    data = path.read_bytes()
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path}: not a PNG file")
    position, idat = len(SIGNATURE), bytearray()
    width = height = channels = 0
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    previous = bytearray(stride)
    rows: list[bytes] = []
    for y in range(height):
        start = y * (stride + 1)
        method, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if method == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif method == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif method == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif method == 4:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                upper_left = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + _paeth(left, previous[i], upper_left)) & 0xFF
        elif method != 0:
            raise ValueError(f"{path}: bad filter {method} in row {y}")
        previous = line
        if channels == 4:
            line = bytearray(b for n, b in enumerate(line) if n % 4 != 3)
        rows.append(bytes(line))
    return Image(width, height, rows)
