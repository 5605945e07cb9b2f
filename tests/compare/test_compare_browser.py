"""compare.html read as a reader would, in headless Chromium (the report's harness): no console
error, no network request, nothing wider than the screen at 1280 and 390 px, in both languages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.report.browser_harness import WIDTHS, chromium_path, inspect_report, playwright_module

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "frameworks" / "chantier-insertion.yaml"


@pytest.fixture(scope="module")
def compare_pages(tmp_path_factory):
    pages = {}
    for lang in ("fr", "en"):
        out = tmp_path_factory.mktemp(f"compare-{lang}")
        subprocess.run(
            [sys.executable, "-m", "evalsoc", "compare", str(DEMO), "--out", str(out / "c")]
            + ["--lang", lang, "-q"],
            check=True,
            capture_output=True,
            timeout=600,
        )
        pages[lang] = out / "c" / "compare.html"
    return pages


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    sync_playwright = playwright_module()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("width", WIDTHS)
def test_compare_page_reads_cleanly_in_a_browser(browser, compare_pages, lang, width):
    page = compare_pages[lang]
    assert page.exists()
    seen = inspect_report(browser, page, width, f"compare-demo-{lang}")
    assert seen["errors"] == [], seen["errors"]
    assert seen["requests"] == [], f"network requests attempted: {seen['requests']}"
    assert seen["overflow"] == [], f"horizontal overflow at {width}px: {seen['overflow'][:10]}"
