"""Word tables written as one piece of XML: a table of 1,000 rows filled cell by cell through
python-docx's objects took about a second (an element lookup and a run per cell); the same
table built as text and parsed once by lxml takes a few hundredths (issue 11).

The table keeps what python-docx's `add_table` makes (the document's "Table Grid" style, its
grid of column widths, each cell's width): only the rows are written here."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# Characters XML 1.0 cannot hold (control characters but tab, line feed, carriage return).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def add_table(doc: Any, headers: list[str], rows: list[list[str]]) -> Any:
    """A "Table Grid" table of `headers` (bold) then `rows` (texts) at the end of `doc`."""
    from docx.oxml import parse_xml

    table = doc.add_table(rows=0, cols=len(headers))
    table.style = "Table Grid"
    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    parts = [f'<w:tbl xmlns:w="{W_NS}">', _row(headers, widths, bold=True)]
    parts += [_row(row, widths) for row in rows]
    parts.append("</w:tbl>")
    for row in parse_xml("".join(parts)).findall(f"{{{W_NS}}}tr"):
        table._tbl.append(row)
    return table


def _row(texts: list[str], widths: list[Any], bold: bool = False) -> str:
    style = "<w:rPr><w:b/></w:rPr>" if bold else ""
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:w="{int(width.twips)}" w:type="dxa"/></w:tcPr><w:p>'
        + "".join(
            (f"<w:r>{style}<w:br/></w:r>" if i else "")
            + f'<w:r>{style}<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
            for i, line in enumerate(_NOT_XML.sub("\ufffd", text).split("\n"))
        )
        + "</w:p></w:tc>"
        for text, width in zip(texts, widths, strict=True)
    )
    return f"<w:tr>{cells}</w:tr>"
