"""Each shipped example's report, opened from a file URL in headless Chromium as a reader would:
no console error, no network request, nothing wider than the screen at 1280 and 390 px, chart
text at least 11 px on screen.
Screenshots are kept in tmp/artefacts/."""

from __future__ import annotations

import pytest
from browser_harness import WIDTHS, chromium_path, inspect_report, playwright_module
from examples_harness import EXAMPLES, example_name

CASES = [(fw, lang) for fw in EXAMPLES for lang in ("fr", "en")]


def _case_id(case) -> str:
    return f"{example_name(case[0])}-{case[1]}"


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    sync_playwright = playwright_module()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("width", WIDTHS)
def test_report_reads_cleanly_in_a_browser(browser, example_runs, case, width):
    report = example_runs(*case) / "report.html"
    seen = inspect_report(browser, report, width, _case_id(case))
    assert seen["errors"] == [], seen["errors"]
    assert seen["requests"] == [], f"network requests attempted: {seen['requests']}"
    assert seen["overflow"] == [], f"horizontal overflow at {width}px: {seen['overflow'][:10]}"
    # Chart text a reader can read on a phone: at least MIN_CHART_TEXT_PX (11) CSS px on screen.
    assert seen["small_text"] == [], (
        f"chart text under 11 px at {width}px: {seen['small_text'][:10]}"
    )
