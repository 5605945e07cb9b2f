"""One HTML fragment renderer per analysis section: ``render(section_results, framework, lang) -> str``."""
