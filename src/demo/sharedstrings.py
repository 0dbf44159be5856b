"""Shared strings for a workbook written by openpyxl's write-only mode.

openpyxl writes every text cell as an inline string, and reading one back builds a rich-text
object per cell: most of the time of importing the demo workbook went there. Excel itself
keeps each distinct text once in a shared-strings table (xl/sharedStrings.xml) and cells refer
to it by number, which openpyxl reads quickly. `shared_strings` rewrites a workbook that way:
same cells, same styles, same values.
"""
from __future__ import annotations

import io
import re
import zipfile

_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(<t(?: [^>]*)?>.*?</t>)</is></c>', re.S)
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PART = "xl/sharedStrings.xml"
_CONTENT_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                 b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
_RELATIONSHIP = (b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rIdSharedStrings"/>')


def shared_strings(raw: bytes) -> bytes:
    """The workbook `raw` (.xlsx bytes) with its inline strings moved to a shared table."""
    src = zipfile.ZipFile(io.BytesIO(raw))
    if _PART in src.namelist():
        return raw
    table: dict[bytes, int] = {}
    uses = 0

    def shared(m: re.Match) -> bytes:
        nonlocal uses
        uses += 1
        i = table.setdefault(m.group(3), len(table))
        return b'<c %st="s"%s><v>%d</v></c>' % (m.group(1), m.group(2), i)

    parts: dict[str, bytes] = {}
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename.startswith("xl/worksheets/sheet"):
            data = _INLINE.sub(shared, data)
        elif info.filename == "[Content_Types].xml":
            data = data.replace(b"</Types>", _CONTENT_TYPE + b"</Types>")
        elif info.filename == "xl/_rels/workbook.xml.rels":
            data = data.replace(b"</Relationships>", _RELATIONSHIP + b"</Relationships>")
        parts[info.filename] = data
    parts[_PART] = b"".join([
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        b'<sst xmlns="%s" count="%d" uniqueCount="%d">' % (_MAIN, uses, len(table)),
        *(b"<si>%s</si>" % t for t in table),
        b"</sst>",
    ])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return buf.getvalue()
