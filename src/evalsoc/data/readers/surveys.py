"""Exports of survey tools: KoboToolbox (CSV/XLSX, `/` between group and question), ODK Central
(CSV with `-`, or the zip holding one CSV per repeat group) and LimeSurvey (CSV, `Q[SQ001]`).

Their files are CSV or XLSX read as such; what is specific is recognised here: the tool's own
system columns (kept, usable in `where`, never reported as undeclared) and, for a zip, which
member to read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from evalsoc.data.csv_file import read_csv
from evalsoc.data.info import ReadInfo
from evalsoc.errors import DataReadError

# XLSForm metadata questions, filled in by the collecting app (KoboCollect, ODK Collect).
FORM_METADATA = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "audit",
    "audit_URL",
}
KOBO_SYSTEM = FORM_METADATA | {
    "meta/instanceID",
    "meta/rootUuid",
    "meta/deprecatedID",
    "formhub/uuid",
    "__version__",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "_tags",
    "_index",
    "_parent_index",
    "_parent_table_name",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
    "_submission__validation_status",
    "_submission__notes",
    "_submission__status",
    "_submission__submitted_by",
    "_submission___version__",
    "_submission__tags",
    "_attachments",
    "_geolocation",
    "_xform_id_string",
}
ODK_SYSTEM = FORM_METADATA | {
    "SubmissionDate",
    "KEY",
    "PARENT_KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
    "meta-instanceID",
    "meta-instanceName",
    "isValidated",
}
LIMESURVEY_SYSTEM = {
    "id",
    "submitdate",
    "lastpage",
    "startlanguage",
    "seed",
    "startdate",
    "datestamp",
    "ipaddr",
    "refurl",
    "token",
}
SYSTEM_COLUMNS = {"kobo": KOBO_SYSTEM, "odk": ODK_SYSTEM, "limesurvey": LIMESURVEY_SYSTEM}
_LIMESURVEY_SUBQUESTION = re.compile(r"^[A-Za-z][A-Za-z0-9_]*\[[^\]]+\]$")


def detect_tool(columns: list[str]) -> str | None:
    """Which tool exported a table, from the system columns it always writes."""
    names = set(columns)
    if {"_uuid", "_submission_time"} <= names or {"_index", "_parent_index"} <= names:
        return "kobo"
    if "KEY" in names and ("SubmissionDate" in names or "PARENT_KEY" in names):
        return "odk"
    if {"id", "submitdate", "lastpage", "startlanguage"} <= names:
        return "limesurvey"
    return None


def system_columns(tool: str | None, columns: list[str]) -> list[str]:
    known = SYSTEM_COLUMNS.get(tool or "", set())
    return [c for c in columns if c in known or (tool == "kobo" and c.startswith("_"))]


def read_survey_export(path: Path, source: Any) -> tuple[Any, ReadInfo]:
    """A Kobo or LimeSurvey export declared as such: CSV or XLSX by its extension."""
    from evalsoc.data.readers.spreadsheet import _string_headers, read_spreadsheet

    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        frame, info = read_spreadsheet(path, source)
    else:
        frame, info = read_csv(
            path,
            encoding=source.encoding,
            delimiter=source.delimiter,
            decimal=source.decimal,
            string_columns=list(_string_headers(source)),
            skip_rows=source.lines_above_header,
        )
    info.format = source.format
    return frame, info


def _zip_member(names: list[str], table: str | None, path: Path) -> str:
    csvs = sorted(n for n in names if n.lower().endswith(".csv") and not n.endswith("/"))
    if not csvs:
        raise DataReadError("zip_no_csv", at=str(path))
    if table is None:
        main = min(csvs, key=len)  # Form.csv; its repeats are Form-<repeat>.csv
        return main
    wanted = [n for n in csvs if Path(n).stem == table or Path(n).stem.endswith(f"-{table}")]
    if len(wanted) != 1:
        listed = ", ".join(Path(n).stem for n in csvs)
        raise DataReadError("zip_table_ambiguous", at=str(path), table=table, listed=listed)
    return wanted[0]


def read_odk(path: Path, source: Any) -> tuple[Any, ReadInfo]:
    """ODK Central's CSV export: a plain CSV, or the zip (`table:` picks a repeat group)."""
    import tempfile
    import zipfile

    from evalsoc.data.info import sha256_file
    from evalsoc.data.readers.spreadsheet import _string_headers

    def _read(csv_path: Path) -> tuple[Any, ReadInfo]:
        return read_csv(
            csv_path,
            encoding=source.encoding,
            delimiter=source.delimiter,
            decimal=source.decimal,
            string_columns=list(_string_headers(source)),
            skip_rows=source.lines_above_header,
        )

    if path.suffix.lower() != ".zip":
        frame, info = _read(path)
        info.format = "odk"
        return frame, info
    try:
        with zipfile.ZipFile(path) as archive:
            member = _zip_member(archive.namelist(), source.table, path)
            with tempfile.TemporaryDirectory(prefix="evalsoc-odk-") as tmp:
                target = Path(tmp) / "member.csv"
                target.write_bytes(archive.read(member))
                frame, info = _read(target)
    except zipfile.BadZipFile as exc:
        raise DataReadError("zip_unreadable", at=str(path), detail=str(exc)) from None
    info.path, info.format, info.sha256 = str(path), "odk", sha256_file(path)
    info.notes.append({"fr": f"lu dans le zip : {member}", "en": f"read from the zip: {member}"})
    return frame, info
