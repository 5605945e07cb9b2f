"""The association's own words (framework `narrative:`), Markdown rendered safely.

markdown-it-py (already installed with rich) in its CommonMark preset with `html` disabled:
raw HTML in the text is shown as text, never interpreted, and links are limited to safe
schemes by markdown-it's own URL validator. Images are turned off too: a report never loads
anything from the network. We use the library rather than a home-made subset because
CommonMark's edge cases (nested lists, emphasis rules, escapes) are where hand-written
parsers break.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from evalsoc.framework.base import label_text

_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
    return _PARSER


def markdown_html(text: str) -> Markup:
    """Markdown → HTML with every raw tag escaped."""
    import re

    html = _parser().render(text)
    # The author's headings sit under the report's own (h1 title, h2 sections, h3 parts).
    return Markup(re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m[1]}h{min(6, int(m[2]) + 3)}>", html))


def narrative_html(label: Any, lang: str) -> Markup:
    """A narrative label in `lang` as safe HTML; empty when absent."""
    text = label_text(label, lang)
    return markdown_html(text) if text else Markup("")
