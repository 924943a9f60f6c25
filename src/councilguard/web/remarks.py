"""Negative remarks a councillor reports to the Clerk instead of replying to them.

The policy asks councillors not to engage with hostile comments but to pass them to the Proper Officer;
this is that hand-over. A report keeps the remark's text, its link and platform, a note and optionally a
screenshot (a PNG, JPEG, GIF or WebP image of at most ``MAX_SCREENSHOT`` bytes, checked by its first
bytes, never by the name the browser gave it). A councillor sees only their own reports; the Proper
Officer sees all of them and marks each handled with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records.db import write_session
from councilguard.web import desk_audit
from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.desk_schema import RemarkReportRow
from councilguard.web.errors import FormError, NotFoundHere
from councilguard.web.roles import Role
from councilguard.web.users import User

MAX_SCREENSHOT = 2 * 1024 * 1024
_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"), (b"GIF87a", "image/gif"),
               (b"GIF89a", "image/gif"))


def image_type(data: bytes) -> str:
    """The image's media type from its first bytes; FormError if it is not a PNG, JPEG, GIF or WebP."""
    if len(data) > MAX_SCREENSHOT:
        raise FormError(f"the screenshot is {len(data) // 1024} KB; the most is {MAX_SCREENSHOT // 1024} KB "
                        "(a smaller or cropped screenshot will do)", where="screenshot")
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise FormError("the screenshot is not a PNG, JPEG, GIF or WebP image", where="screenshot")


@dataclass(frozen=True)
class RemarkReport:
    id: int
    reporter_id: int
    reporter_name: str
    remark: str
    link: str
    platform: str
    note: str
    has_screenshot: bool
    created_at: datetime
    status: str
    handled_at: datetime | None
    handled_by: str | None
    handled_note: str | None


def _report(row: RemarkReportRow, name: str) -> RemarkReport:
    return RemarkReport(row.id, row.reporter_id, name, row.remark, row.link, row.platform, row.note,
                        row.screenshot is not None, row.created_at, row.status, row.handled_at, row.handled_by,
                        row.handled_note)


class RemarkReports:
    def __init__(self, factory: sessionmaker[Session]):
        self._factory = factory

    def file(self, by: User, *, remark: str, link: str, platform: str, note: str = "",
             screenshot: bytes | None = None) -> RemarkReport:
        """Keep a report from ``by``; the screenshot, if any, must be an image (see ``image_type``)."""
        kind = image_type(screenshot) if screenshot else None
        row = RemarkReportRow(reporter_id=by.id, remark=remark, link=link, platform=platform, note=note,
                              screenshot=screenshot or None, screenshot_type=kind,
                              created_at=datetime.now(timezone.utc), status="open")
        with write_session(self._factory) as s:
            s.add(row)
            s.flush()
            return _report(row, by.name)

    def _list(self, *where) -> list[RemarkReport]:
        with self._factory() as s:
            rows = s.execute(select(RemarkReportRow, WebUserRow.name)
                             .join(WebUserRow, WebUserRow.id == RemarkReportRow.reporter_id)
                             .where(*where).order_by(RemarkReportRow.created_at, RemarkReportRow.id))
            return [_report(r, name) for r, name in rows]

    def mine(self, user_id: int) -> list[RemarkReport]:
        """The reports ``user_id`` filed, oldest first."""
        return self._list(RemarkReportRow.reporter_id == user_id)

    def open(self) -> list[RemarkReport]:
        """Reports not yet handled, oldest first (the desk's queue)."""
        return self._list(RemarkReportRow.status == "open")

    def screenshot(self, report_id: int, viewer: User) -> tuple[bytes, str]:
        """The screenshot and its type, for the reporter or the Proper Officer only."""
        with self._factory() as s:
            row = s.get(RemarkReportRow, report_id)
            allowed = row is not None and (row.reporter_id == viewer.id or viewer.role is Role.PROPER_OFFICER)
            if not allowed or row.screenshot is None:
                raise NotFoundHere(f"there is no screenshot {report_id} for you to see", where="report")
            return row.screenshot, row.screenshot_type or "application/octet-stream"

    def handle(self, report_id: int, by: User, note: str) -> None:
        """Mark an open report handled, with the Clerk's note; written to the audit log."""
        with write_session(self._factory) as s:
            row = s.get(RemarkReportRow, report_id)
            if row is None:
                raise NotFoundHere(f"there is no report {report_id}", where="report")
            if row.status != "open":
                raise FormError(f"report {report_id} was already handled by {row.handled_by}", where="reports")
            row.status, row.handled_at = "handled", datetime.now(timezone.utc)
            row.handled_by, row.handled_note = by.email, note
            desk_audit.write(s, actor=by.email, action="remark-handled", target_kind="remark-report",
                             target_id=report_id, note=note)
