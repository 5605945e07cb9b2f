"""Same inputs, same bytes: Office files are zip archives stamped with the clock. Their entry
dates and document dates are pinned to the report's date (never the wall clock)."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any


def fixed_moment(results: Any) -> dt.datetime:
    """Midnight of the report's date (framework `report.date`, else the end of the period),
    1 January 2000 when the framework gives neither."""
    from evalsoc.report.words import report_date

    day = report_date(results.framework, results.data)
    return dt.datetime.fromisoformat(day) if day else dt.datetime(2000, 1, 1)


def pin_zip(path: Path, moment: dt.datetime) -> None:
    """Rewrite the archive with every entry dated `moment`, and the dates inside
    docProps/core.xml set to it."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w") as target:
        for info, payload in entries:
            if info.filename == "docProps/core.xml":
                text = payload.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    rf"\g<1>{stamp}\g<3>",
                    text,
                )
                payload = text.encode("utf-8")
            pinned = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o644 << 16
            target.writestr(pinned, payload)
