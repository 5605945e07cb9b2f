"""Open a report in headless Chromium (Debian's /usr/bin/chromium driven by Playwright) and
measure what a reader would meet: console errors, network requests, horizontal overflow, chart
text too small to read."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "tmp" / "artefacts"
WIDTHS = (1280, 390)

# Every element wider than its container, every scroll box that scrolls sideways.
OVERFLOW_JS = """() => {
  for (const d of document.querySelectorAll('details')) d.open = true;
  const page = document.documentElement;
  const found = [];
  if (page.scrollWidth > page.clientWidth + 1) found.push(['document', page.scrollWidth, page.clientWidth]);
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (el.closest('.sr-only')) continue;  // visually hidden, for screen readers only
    const tag = el.tagName.toLowerCase();
    const what = tag + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.replace(/ /g, '.') : '')
      + ' in #' + ((el.closest('[id]') || {}).id || '');
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
      found.push(['scrolls: ' + what, el.scrollWidth, el.clientWidth]);
    if (['table', 'svg', 'img', 'figure', 'pre'].includes(tag)) {
      const box = el.getBoundingClientRect();
      const parent = el.parentElement.getBoundingClientRect();
      if (box.right > parent.right + 1 || box.right > page.clientWidth + 1)
        found.push(['wider than its container: ' + what, Math.round(box.right), Math.round(Math.min(parent.right, page.clientWidth))]);
    }
  }
  return found;
}"""


# The size at which each chart's text reaches the screen, in CSS px: its font size in the SVG's
# user units times the scale from those units to the screen (getScreenCTM: the chart scaled to
# its container, and the text's own rotation).
MIN_CHART_TEXT_PX = 11.0
SMALL_TEXT_JS = """(least) => {
  const small = [];
  for (const el of document.querySelectorAll('svg text')) {
    if (el.closest('.sr-only') || !el.textContent.trim()) continue;
    const m = el.getScreenCTM();
    if (!m) continue;
    const px = parseFloat(getComputedStyle(el).fontSize) * Math.hypot(m.a, m.b);
    if (px < least) small.push([el.textContent.trim().slice(0, 40), Math.round(px * 10) / 10,
      (el.closest('[id]') || {}).id || '']);
  }
  return small;
}"""


def chromium_path() -> str | None:
    """Debian's chromium; absent outside CI the browser tests skip, in CI (CI=true) they fail."""
    path = os.environ.get("EVALSOC_CHROMIUM") or shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
    pytest.skip("chromium is not installed (apt-get install chromium); required when CI=true")
    return None


def playwright_module() -> Any:
    try:
        from playwright.sync_api import sync_playwright
    except ModuleNotFoundError:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("playwright is not installed: pip install -e '.[test]'")
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    return sync_playwright


def inspect_report(browser: Any, report: Path, width: int, shot_name: str) -> dict[str, Any]:
    """Load one report at one width: console errors, non-file requests, overflow, screenshot."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report.resolve().as_uri(), wait_until="load")
    overflow = page.evaluate(OVERFLOW_JS)
    small_text = page.evaluate(SMALL_TEXT_JS, MIN_CHART_TEXT_PX)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{shot_name}-{width}.png"), full_page=True)
    page.close()
    own = report.resolve().as_uri()
    return {
        "errors": errors,
        "requests": [u for u in requests if u != own],
        "overflow": overflow,
        "small_text": small_text,
    }
