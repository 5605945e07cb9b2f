"""Readable outputs: the self-contained HTML report and its inline SVG charts."""
