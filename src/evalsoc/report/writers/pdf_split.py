"""A long report.pdf laid out in two halves by two processes, then merged (issue 11).

WeasyPrint lays a document out in one thread; on two cores, a long print HTML cut in two at a
page boundary near the middle is laid out in about half the time by two processes. What needs
the whole document is rebuilt after the merge, exactly:

- page numbers « n / N »: the halves are laid out without their page-number margin box (their
  running header, the title and the funder edition's marking, is theirs); a third WeasyPrint
  document of N blank pages under the report's own `@page` rules carries only the numbers, and
  each of its pages is drawn under the matching page of the merged file (a form XObject: the
  halves' content streams are not parsed or rewritten);
- internal links (the table of contents, the glossary's first uses) that point into the other
  half: each half keeps them (a placeholder anchor), and the merged file's named destinations
  are the halves' real anchors;
- the PDF outline: WeasyPrint's own tree-building (`make_page_bookmark_tree`) over both halves'
  headings, as for one document.

pypdf (extra `evalsoc[pdf]`) merges the halves: a pure-Python PDF library, well kept, that
copies pages and their resources between files. The merged file is the same bytes for the same
inputs (no file identifier, fixed document information).

The cut: before a top-level block that starts a new page (`class="page-break"`) or a grid
dimension's heading (`data-pdf-cut`, print form only), whichever is nearest the middle of the
body's text; the second half starts on a new page, so a cut at a dimension heading puts that
dimension on a new page (one page more at most than the single layout). Print HTML shorter
than `SPLIT_FROM` characters is laid out in one piece: two processes, a stamp document and a
merge cost more than they save there (docs/report.md)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

# Characters of print HTML from which two half layouts beat one (docs/report.md: the shipped
# examples' print HTML is 120-230 k characters, the 200-indicator report's 150 k).
SPLIT_FROM = 100_000

# Halves laid out without the page-number margin box (report.css @page): the stamp draws it.
_NO_PAGE_NUMBERS = "<style>@page { @bottom-right { content: none } }</style>"
_STAMP_NAME = "/EvalsocPageStamp"
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass(frozen=True)
class Halves:
    """The print HTML cut in two, and what the stamp document needs of it."""

    first: str
    second: str
    stamp_head: str  # `<html lang>` and the report's `@page` rules, for the page numbers


@dataclass(frozen=True)
class LaidOut:
    """One half as its worker returns it: the PDF and what the merge needs of its layout."""

    pdf: bytes
    pages: list[tuple[float, list[Any]]]  # (page height in CSS px, WeasyPrint's bookmarks)
    placeholders: list[str]  # anchors of the other half, kept here only for the links


def halves(page: str, split_from: int | None = None) -> Halves | None:
    """`page` cut in two near the middle, or None when it is shorter than `split_from`
    (default `SPLIT_FROM`) or has no cut point."""
    if len(page) < (SPLIT_FROM if split_from is None else split_from):
        return None
    scan = _Scan(page)
    if scan.body_end is None or scan.running is None or not scan.cuts:
        return None
    middle = (scan.body_end + len(page)) / 2
    cut, ancestors = min(scan.cuts, key=lambda candidate: abs(candidate[0] - middle))
    head = page[: scan.body_end]
    reopened = "".join(_without_id(tag) for tag in ancestors)
    closed = "".join(f"</{_tag_name(tag)}>" for tag in reversed(ancestors))
    first = _no_page_numbers(page[:cut]) + closed + "</body></html>"
    second = _no_page_numbers(head) + scan.running + reopened + page[cut:]
    stamp_head = (
        f'<!DOCTYPE html>{scan.html_tag}<head><meta charset="utf-8"><style>'
        f"{_page_rules(head)}</style></head><body>"
    )
    return Halves(first=first, second=second, stamp_head=stamp_head)


def lay_out(html: str) -> LaidOut:
    """One half laid out and written by WeasyPrint (run in a worker process)."""
    from weasyprint import HTML

    from evalsoc.report.writers.weasyprint_setup import fixed_font_dates, no_network, quiet_logs

    quiet_logs()
    document = HTML(string=html, base_url=None, url_fetcher=no_network).render()
    anchors = {name for page in document.pages for name in page.anchors}
    targets = {
        target
        for page in document.pages
        for kind, target, *_ in page.links
        if kind == "internal" and target not in anchors
    }
    placeholders = sorted(targets)
    for name in placeholders:  # keeps the link: its destination is the other half's anchor
        document.pages[0].anchors[name] = (0, 0, 0, 0)
    pages = [(page.height, list(page.bookmarks)) for page in document.pages]
    with fixed_font_dates():
        pdf = document.write_pdf()
    return LaidOut(pdf=pdf, pages=pages, placeholders=placeholders)


def merge(parts: Halves, first: LaidOut, second: LaidOut, path: str) -> None:
    """The two halves as one PDF at `path`, with the page numbers, links and outline of the
    whole (run in a worker process: it lays out the stamp document)."""
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(io.BytesIO(part.pdf)) for part in (first, second)]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader, import_outline=False)
    total = len(writer.pages)
    stamp = PdfReader(io.BytesIO(_stamp_pdf(parts, total)))
    if len(stamp.pages) != total:
        raise RuntimeError(f"page-number stamp: {len(stamp.pages)} pages for {total}")
    for page, stamp_page in zip(writer.pages, stamp.pages, strict=True):
        _draw_under(writer, page, stamp_page)
    _named_destinations(writer, readers, [first, second])
    _outline(writer, [*first.pages, *second.pages])
    _document_information(writer, readers[0])
    with open(path, "wb") as out:
        writer.write(out)


def write(parts: Halves, path: str) -> None:
    """Both halves laid out in this process, then merged: the bytes of the two-process path."""
    merge(parts, lay_out(parts.first), lay_out(parts.second), path)


def _stamp_pdf(parts: Halves, total: int) -> bytes:
    from weasyprint import HTML

    from evalsoc.report.writers.weasyprint_setup import fixed_font_dates, no_network

    blank = "<div></div>" + '<div style="break-before: page"></div>' * (total - 1)
    html = parts.stamp_head + blank + "</body></html>"
    with fixed_font_dates():
        result: bytes = HTML(string=html, base_url=None, url_fetcher=no_network).write_pdf()
    return result


def _draw_under(writer: Any, page: Any, stamp_page: Any) -> None:
    """The stamp page as a form XObject drawn first on `page` (margin boxes and content do not
    overlap); the page's own content stream is kept as it is."""
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
    )

    form = DecodedStreamObject()
    form.set_data(stamp_page.get_contents().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): stamp_page.mediabox,
            NameObject("/Resources"): stamp_page["/Resources"].clone(writer),
        }
    )
    form_ref = writer._add_object(form.flate_encode())
    resources = DictionaryObject(page["/Resources"].get_object())
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    xobjects[NameObject(_STAMP_NAME)] = form_ref
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources
    draw = DecodedStreamObject()
    draw.set_data(f"q {_STAMP_NAME} Do Q\n".encode("ascii"))
    contents = page.raw_get("/Contents")
    old = list(contents.get_object()) if isinstance(contents.get_object(), list) else [contents]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(draw), *old])


def _named_destinations(writer: Any, readers: list[Any], parts: list[LaidOut]) -> None:
    """The halves' real anchors (not their placeholders), first one wins as in WeasyPrint."""
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    found: dict[str, Any] = {}
    offset = 0
    for reader, part in zip(readers, parts, strict=True):
        for name, destination in reader.named_destinations.items():
            if name in part.placeholders or name in found:
                continue
            page = writer.pages[offset + reader.get_destination_page_number(destination)]
            found[name] = ArrayObject(
                [
                    page.indirect_reference,
                    NameObject("/XYZ"),
                    FloatObject(destination.left),
                    FloatObject(destination.top),
                    NumberObject(0),
                ]
            )
        offset += len(reader.pages)
    names = ArrayObject()
    for name in sorted(found):
        names += [TextStringObject(name), found[name]]
    dests = DictionaryObject({NameObject("/Names"): names})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): writer._add_object(dests)}
    )


def _outline(writer: Any, pages: list[tuple[float, list[Any]]]) -> None:
    """WeasyPrint's bookmark tree of the whole document (its own algorithm over both halves'
    pages), written with pypdf."""
    from types import SimpleNamespace

    from weasyprint.anchors import make_page_bookmark_tree
    from weasyprint.matrix import Matrix

    scale = 0.75  # CSS px to PDF points, as WeasyPrint's write_pdf
    root: list[Any] = []
    skipped: list[int] = []
    last_by_depth: list[Any] = [root]
    previous = 0
    for number, (height, bookmarks) in enumerate(pages):
        matrix = Matrix(a=scale, d=-scale, f=height * scale)
        page = SimpleNamespace(bookmarks=bookmarks)
        previous = make_page_bookmark_tree(page, skipped, last_by_depth, previous, number, matrix)
    _add_outline_items(writer, root, None)


def _add_outline_items(writer: Any, tree: list[Any], parent: Any) -> None:
    from pypdf.generic import Fit

    for label, (number, x, y), children, state in tree:
        item = writer.add_outline_item(
            title=label,
            page_number=number,
            parent=parent,
            fit=Fit.xyz(x, y, 0),
            is_open=state != "closed",
        )
        _add_outline_items(writer, children, item)


def _document_information(writer: Any, reader: Any) -> None:
    """WeasyPrint's document information and language, no file identifier: same bytes."""
    from pypdf import __version__ as pypdf_version
    from pypdf.generic import NameObject

    info = dict(reader.metadata or {})
    info["/Producer"] = f"{info.get('/Producer', 'WeasyPrint')}, pypdf {pypdf_version}"
    writer.metadata = None
    writer.add_metadata(info)
    language = reader.trailer["/Root"].get("/Lang")
    if language is not None:
        writer._root_object[NameObject("/Lang")] = language
    writer._ID = None


def _no_page_numbers(html: str) -> str:
    return html.replace("</head>", _NO_PAGE_NUMBERS + "</head>", 1)


def _page_rules(head: str) -> str:
    """The `@page` rules of the report's stylesheet (margin boxes nest braces)."""
    rules = []
    start = head.find("@page")
    while start != -1:
        depth, end = 0, head.index("{", start)
        while True:
            depth += {"{": 1, "}": -1}.get(head[end], 0)
            end += 1
            if depth == 0:
                break
        rules.append(head[start:end])
        start = head.find("@page", end)
    return "\n".join(rules)


def _tag_name(start_tag: str) -> str:
    return start_tag[1:].split(None, 1)[0].rstrip(">").lower()


def _without_id(start_tag: str) -> str:
    """An ancestor reopened in the second half: its classes (layout) without its id (anchors
    stay in the first half)."""
    import re

    return re.sub(r"""\s+id\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", "", start_tag, count=1)


class _Scan(HTMLParser):
    """Where the body starts, the running header, and the cut points (a block that starts a
    new page, a grid dimension's heading) with their open ancestors below `<body>`."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self._lines = [0]
        for line in page.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self._page = page
        self._stack: list[str] = []
        self.body_end: int | None = None
        self.html_tag = "<html>"
        self.running: str | None = None
        self._running_start: int | None = None
        self._running_depth = 0
        self.cuts: list[tuple[int, list[str]]] = []
        self.feed(page)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        attributes = dict(attrs)
        if tag == "html":
            self.html_tag = raw
        elif tag == "body":
            self.body_end = start + len(raw)
        elif self.body_end is not None:
            classes = (attributes.get("class") or "").split()
            if "running-header" in classes and self.running is None:
                self._running_start, self._running_depth = start, len(self._stack)
            elif self.running is not None and (
                "page-break" in classes or "data-pdf-cut" in attributes
            ):
                body = next(i for i, t in enumerate(self._stack) if _tag_name(t) == "body")
                self.cuts.append((start, self._stack[body + 1 :]))
        if tag not in _VOID:
            self._stack.append(raw)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        for depth in range(len(self._stack) - 1, -1, -1):
            if _tag_name(self._stack[depth]) == tag:
                del self._stack[depth:]
                break
        if self._running_start is not None and len(self._stack) == self._running_depth:
            end = self._offset() + len(f"</{tag}>")
            self.running = self._page[self._running_start : end]
            self._running_start = None
