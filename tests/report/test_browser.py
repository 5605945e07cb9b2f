"""Each shipped example's report, opened from a file URL in headless Chromium as a reader would:
no console error, no network request, nothing wider than the screen at 1280 and 390 px.
Screenshots are kept in tmp/artefacts/."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser_harness import (
    ROOT,
    WIDTHS,
    chromium_path,
    inspect_report,
    playwright_module,
)

# The shipped examples: every framework in frameworks/ and the `evalsoc init` template.
EXAMPLES = sorted((ROOT / "frameworks").glob("*.yaml")) + [
    ROOT / "src" / "evalsoc" / "templates" / "centre-social" / "framework.yaml"
]
CASES = [(fw, lang) for fw in EXAMPLES for lang in ("fr", "en")]


def _case_id(case: tuple[Path, str]) -> str:
    fw, lang = case
    name = fw.stem if fw.stem != "framework" else fw.parent.name
    return f"{name}-{lang}"


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    sync_playwright = playwright_module()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """Run each example once per language (the template is copied: its folder is the package)."""
    out = {}
    for case in CASES:
        fw, lang = case
        work = tmp_path_factory.mktemp(_case_id(case))
        if fw.parent.name == "centre-social":
            shutil.copytree(fw.parent, work / "src", dirs_exist_ok=True)
            fw = work / "src" / "framework.yaml"
        proc = subprocess.run(
            [sys.executable, "-m", "evalsoc", "run", str(fw), "--out", str(work / "out")]
            + ["--lang", lang, "-q"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr
        out[_case_id(case)] = work / "out" / "report.html"
    return out


@pytest.mark.parametrize("case", CASES, ids=_case_id)
@pytest.mark.parametrize("width", WIDTHS)
def test_report_reads_cleanly_in_a_browser(browser, reports, case, width):
    name = _case_id(case)
    seen = inspect_report(browser, reports[name], width, name)
    assert seen["errors"] == [], seen["errors"]
    assert seen["requests"] == [], f"network requests attempted: {seen['requests']}"
    assert seen["overflow"] == [], f"horizontal overflow at {width}px: {seen['overflow'][:10]}"
