"""A long report.pdf laid out in two halves and merged (writers/pdf_split.py) is the single
layout's document: same pages, text, page numbers « n / N », running header (the funder
edition's marking), outline, named destinations and links, the same pixels; and the same bytes
for the same inputs, in one process or two."""

from __future__ import annotations

from pathlib import Path

import pytest

from evalsoc.pipeline import run_framework
from evalsoc.report.writers import pdf_file, pdf_split
from evalsoc.report.writers.parallel import write_formats

PAGE = (
    '<!DOCTYPE html>\n<html lang="fr"><head><style>p { color: red }\n'
    "@page { size: A4; @top-center { content: element(running); }\n"
    '  @bottom-right { content: counter(page) " / " counter(pages); } }\n'
    '</style></head>\n<body class="print funder">\n<div class="running-header">Titre — '
    "<b>marque</b></div>\n<main>"
    '<section id="a" class="page-break"><p>un</p></section>\n'
    '<section id="grid" class="page-break wide"><h2>Grille</h2>'
    "<h3 data-pdf-cut>D1</h3><p>{one}</p><h3 data-pdf-cut>D2</h3><p>{two}</p></section>\n"
    '<section id="z" class="page-break"><p>fin</p></section></main>\n</body></html>'
)


def _page(one: str, two: str) -> str:
    return PAGE.replace("{one}", one).replace("{two}", two)


def test_the_cut_is_the_cut_point_nearest_the_middle_with_its_ancestors_reopened():
    page = _page("x" * 600, "y" * 600)
    parts = pdf_split.halves(page, split_from=0)
    assert parts is not None
    # The middle of the body falls in D1's text: D2's heading is the nearest cut point.
    assert parts.first.endswith("<p>" + "x" * 600 + "</p></section></main></body></html>")
    assert "<h3 data-pdf-cut>D2</h3>" not in parts.first
    body = '<body class="print funder">'
    reopened = '<div class="running-header">Titre — <b>marque</b></div><main>'
    reopened += '<section class="page-break wide">'  # classes kept, id left to the first half
    assert parts.second.split(body, 1)[1].startswith(reopened + "<h3 data-pdf-cut>D2</h3>")
    # Both halves without their page-number box; the stamp has only the @page rules.
    for half in (parts.first, parts.second):
        assert half.count("@bottom-right { content: none }") == 1
        assert half.index("content: none") < half.index("</head>")
    assert parts.stamp_head == (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>'
        "@page { size: A4; @top-center { content: element(running); }\n"
        '  @bottom-right { content: counter(page) " / " counter(pages); } }'
        "</style></head><body>"
    )


def test_a_cut_before_a_top_level_section_reopens_only_main():
    page = _page("x" * 10, "y" * 10)
    parts = pdf_split.halves(page.replace("<p>fin</p>", "<p>" + "z" * 900 + "</p>"), 0)
    assert parts is not None
    assert parts.second.split("</div>", 1)[1].startswith('<main><section id="z"')
    assert parts.first.endswith("</section>\n</main></body></html>")


def test_short_pages_and_pages_without_a_cut_point_are_laid_out_in_one_piece():
    page = _page("x", "y")
    assert len(page) < pdf_split.SPLIT_FROM
    assert pdf_split.halves(page) is None
    assert pdf_split.halves(page.replace("running-header", "header"), 0) is None
    plain = page.replace(' class="page-break"', "").replace(" data-pdf-cut", "")
    assert pdf_split.halves(plain.replace(' class="page-break wide"', ""), 0) is None


def _pdf_facts(path: Path) -> dict[str, object]:
    """What a reader and a PDF viewer see: per-page text, outline, destinations, links."""
    from pypdf import PdfReader

    pdfplumber = pytest.importorskip("pdfplumber")
    reader = PdfReader(path)

    def outline(items: list, depth: int = 0) -> list:
        out: list = []
        for item in items:
            if isinstance(item, list):
                out += outline(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                out.append((depth, item.title, page, round(float(item.top), 2)))
        return out

    destinations = {
        name: (reader.get_destination_page_number(dest), round(float(dest.top), 2))
        for name, dest in reader.named_destinations.items()
    }
    links = [
        (number, str(annot.get_object()["/Dest"]), [round(float(x), 2) for x in annot["/Rect"]])
        for number, page in enumerate(reader.pages)
        for annot in (a.get_object() for a in page.get("/Annots", []))
    ]
    with pdfplumber.open(path) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
        sizes = {(round(p.width, 1), round(p.height, 1)) for p in pdf.pages}
    return {
        "texts": texts,
        "sizes": sizes,
        "outline": outline(reader.outline),
        "destinations": destinations,
        "links": links,
        "language": reader.trailer["/Root"].get("/Lang"),
        "title": (reader.metadata or {}).get("/Title"),
    }


def _pixels(path: Path) -> list[bytes]:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(str(path))
    return [page.render(scale=1).to_pil().convert("L").tobytes() for page in document]


@pytest.mark.slow  # three WeasyPrint layouts of a short report: ~6 CPU-s
def test_two_halves_merged_are_the_single_layout(mini, tmp_path):
    pytest.importorskip("weasyprint")
    pytest.importorskip("pypdf")
    results = run_framework(mini, write=False, edition="funder")
    # Cut points at page breaks only: the second half starting a new page is then no change.
    page = pdf_file.print_html(results).replace(" data-pdf-cut", "")
    parts = pdf_split.halves(page, split_from=0)
    assert parts is not None
    single, split = tmp_path / "single.pdf", tmp_path / "split.pdf"
    pdf_file.html_to_pdf(page, str(single))
    pdf_split.write(parts, str(split))
    expected, merged = _pdf_facts(single), _pdf_facts(split)
    assert merged == expected
    pages = len(expected["texts"])  # type: ignore[arg-type]
    assert pages >= 3 and expected["sizes"] == {(595.3, 841.9)}
    for number, text in enumerate(merged["texts"], start=1):  # type: ignore[arg-type]
        assert text.rstrip().endswith(f"{number} / {pages}"), number
        assert text.startswith("Essai") or "Diffusion restreinte — ne pas publier" in text
        assert "Diffusion restreinte — ne pas publier" in text, number
    assert merged["links"] and merged["outline"] and merged["destinations"]
    assert _pixels(split) == _pixels(single)
    # The same bytes again.
    again = tmp_path / "again.pdf"
    pdf_split.write(parts, str(again))
    assert again.read_bytes() == split.read_bytes()


@pytest.mark.slow  # the halves in two worker processes, and in this process: ~12 CPU-s
def test_two_processes_write_the_bytes_of_one(mini, tmp_path, monkeypatch):
    pytest.importorskip("weasyprint")
    pytest.importorskip("pypdf")
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    monkeypatch.setattr(pdf_split, "SPLIT_FROM", 0)  # the short report split too
    results = run_framework(mini, write=False)
    together, alone = tmp_path / "together", tmp_path / "alone"
    together.mkdir()
    alone.mkdir()
    said: list[str] = []
    write_formats(results, ("html", "pdf"), together, said.append)
    assert said[0] == "writing report.pdf (in two processes)"
    pdf_file.write(results, alone)
    assert (together / "report.pdf").read_bytes() == (alone / "report.pdf").read_bytes()
