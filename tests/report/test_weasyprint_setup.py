"""The PDF's embedded fonts carry a fixed date, whatever the clock says (same HTML, same bytes)."""

import os
import time

import pytest

from evalsoc.report.writers.weasyprint_setup import FONT_DATE, fixed_font_dates


def test_pdf_bytes_do_not_follow_the_clock(tmp_path, monkeypatch):
    pytest.importorskip("weasyprint")
    from evalsoc.report.writers.pdf_file import WARM_UP_PAGE, html_to_pdf

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    real = time.time
    written = []
    for shift in (0, 86_400 * 400):  # the second write 400 days later by the clock
        monkeypatch.setattr(time, "time", lambda shift=shift: real() + shift)
        path = tmp_path / f"{shift}.pdf"
        html_to_pdf(WARM_UP_PAGE, str(path))
        written.append(path.read_bytes())
    assert written[0] == written[1]
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set for the write only


def test_a_date_the_user_set_is_kept(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    with fixed_font_dates():
        assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"


def test_the_date_is_set_during_the_write_only(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    with fixed_font_dates():
        assert os.environ["SOURCE_DATE_EPOCH"] == FONT_DATE
    assert "SOURCE_DATE_EPOCH" not in os.environ
