"""Checks for the HTML report without third-party packages: structure, and PNG pixels.

`StructureChecker` parses the page with `html.parser`: every element closed in order, no
duplicate ids, no script or event handler, no reference that leaves the file, every SVG
labelled by its own `<title>`. `png_pixels` decodes the 8-bit RGB(A) PNG that headless
Chromium writes, so a screenshot can be checked for being more than a blank page.
"""

from __future__ import annotations

import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
REFERENCES = ("src", "href", "xlink:href", "action", "data", "poster", "srcset")


class StructureChecker(HTMLParser):
    """Collects what is wrong with a page's structure in `errors`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.counts: dict[str, int] = {}
        self.html_lang: str | None = None
        self.title = ""
        self.ids: set[str] = set()
        self.labelledby: list[str] = []
        self.svg_first_child: list[str] = []
        self.text: list[str] = []
        self._svg_pending = False

    def _attrs(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.counts[tag] = self.counts.get(tag, 0) + 1
        found = dict(attrs)
        if tag == "html":
            self.html_lang = found.get("lang")
        if self._svg_pending:  # the first element inside <svg> must be its <title>
            self.svg_first_child.append(tag)
        self._svg_pending = tag == "svg"
        for key in REFERENCES:
            value = (found.get(key) or "").strip()
            if key in found and not value.startswith(("#", "data:")):
                self.errors.append(f"reference {key}={value!r} on <{tag}>")
        if "id" in found:
            if found["id"] in self.ids:
                self.errors.append(f"duplicate id {found['id']}")
            self.ids.add(found["id"] or "")
        if "aria-labelledby" in found:
            self.labelledby += (found["aria-labelledby"] or "").split()
        if any(key.startswith("on") for key in found):
            self.errors.append(f"event handler attribute on <{tag}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._attrs(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            opened = self.stack[-1] if self.stack else None
            self.errors.append(f"</{tag}> closes <{opened}> at line {self.getpos()[0]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] == "title" and "svg" not in self.stack:
            self.title += data
        if "style" not in self.stack:
            self.text.append(data)


def check_structure(text: str) -> StructureChecker:
    checker = StructureChecker()
    checker.feed(text)
    checker.close()
    return checker


def png_pixels(path: Path) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes per pixel and the rows of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat.append(body)
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    previous, rows = bytes(stride), []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]
        rows.append(_unfilter(kind, line, previous, bpp))
        previous = rows[-1]
    return width, height, bpp, rows


def _unfilter(kind: int, line: bytes, previous: bytes, bpp: int) -> bytes:
    if kind == 0:
        return line
    if kind == 2:  # Up: a bytewise add mod 256, as one carry-less big-integer add
        stride = len(line)
        low = int.from_bytes(b"\x7f" * stride, "big")
        high = int.from_bytes(b"\x80" * stride, "big")
        a, b = int.from_bytes(line, "big"), int.from_bytes(previous, "big")
        return (((a & low) + (b & low)) ^ ((a ^ b) & high)).to_bytes(stride, "big")
    row = bytearray(line)
    for i in range(len(row)):
        left = row[i - bpp] if i >= bpp else 0
        up, corner = previous[i], (previous[i - bpp] if i >= bpp else 0)
        if kind == 1:
            row[i] = (row[i] + left) & 255
        elif kind == 3:
            row[i] = (row[i] + ((left + up) >> 1)) & 255
        else:  # 4: Paeth
            guess = left + up - corner
            pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
            best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            row[i] = (row[i] + best) & 255
    return bytes(row)
