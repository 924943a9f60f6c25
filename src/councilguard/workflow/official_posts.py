"""The official accounts' posting queue: staff and designated people draft, the Proper Officer approves.

The council's official accounts are run under the Proper Officer's guidance, so nothing goes on them
unseen: a draft is checked when it is submitted (a draft that would breach the policy outright is
refused there and then) and again when the Proper Officer approves it, since authorisations and the
policy may have changed meanwhile. The Proper Officer approves with an optional note, which becomes the
written justification when the check still warns, or returns the post with a reason. An approved post
is kept in the records archive like council mail, under the account's name, with the check's verdict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.model import Report
from councilguard.records.archive import Archive, ArchiveItem
from councilguard.records.db import write_session
from councilguard.workflow.audit import AuditWriter
from councilguard.workflow.authorisations import Authorisations, Person
from councilguard.workflow.authorities_schema import OfficialPostRow
from councilguard.workflow.authority_errors import (
    AlreadyDecided,
    InvalidEntry,
    NoSuchEntry,
    NotPermitted,
    PostBlocked,
)

PostCheck = Callable[[int, dict[str, Any]], Report]  # check a message as written by the person with this id
MAX_TEXT = 10_000
MAX_NOTE = 5_000
STATUSES = ("waiting", "approved", "returned")


@dataclass(frozen=True)
class CheckedFinding:
    rule: str
    severity: str
    clause: str
    explanation: str


@dataclass(frozen=True)
class Post:
    id: int
    channel: str
    handle: str
    text: str
    drafted_by_id: int
    drafted_by_name: str
    drafted_by_email: str
    drafted_at: datetime
    designation_id: int | None
    status: str
    submitted_verdict: str
    submitted_findings: tuple[CheckedFinding, ...]
    decided_at: datetime | None
    decided_by: str | None
    decision_note: str | None
    approved_verdict: str | None
    approved_findings: tuple[CheckedFinding, ...]
    record_id: int | None


def _findings_json(report: Report) -> str:
    return json.dumps([{"rule": f.rule, "severity": f.severity.value, "clause": f.clause,
                        "explanation": f.explanation} for f in report.findings])


def _findings(raw: str | None) -> tuple[CheckedFinding, ...]:
    return tuple(CheckedFinding(**f) for f in json.loads(raw or "[]"))


def _post(r: OfficialPostRow) -> Post:
    return Post(r.id, r.channel, r.handle, r.text, r.drafted_by_id, r.drafted_by_name, r.drafted_by_email,
                r.drafted_at, r.designation_id, r.status, r.submitted_verdict, _findings(r.submitted_findings),
                r.decided_at, r.decided_by, r.decision_note, r.approved_verdict, _findings(r.approved_findings),
                r.record_id)


def _rules(report: Report) -> str:
    return ", ".join(sorted(report.rules))


class OfficialPosts:
    """The queue over the records database; approved posts go into ``archive``."""

    def __init__(self, factory: sessionmaker[Session], *, check: PostCheck, archive: Archive,
                 authorisations: Authorisations, audit: AuditWriter, council_name: str):
        self._factory = factory
        self._check = check
        self._archive = archive
        self._authorisations = authorisations
        self._audit = audit
        self.council_name = council_name

    @property
    def channels(self) -> dict[str, str]:
        return self._authorisations.channels

    @staticmethod
    def _message(channel: str, text: str) -> dict[str, Any]:
        return {"kind": "post", "channel": channel, "account": "official", "text": text}

    def may_draft(self, person: Person, on: date) -> list[str]:
        """The channels ``person`` may draft for on ``on``: every one for the Proper Officer, else those their
        current designations cover."""
        if person.role == "proper-officer":
            return list(self.channels)
        if person.role == "administrator":
            return []
        return [c for c in self.channels if self._authorisations.designation_for(person.id, c, on) is not None]

    def draft(self, by: Person, *, channel: str, text: str, on: date) -> Post:
        """Queue a post for the Proper Officer; NotPermitted unless ``by`` is the Proper Officer or holds a
        designation for ``channel`` on ``on``; PostBlocked when the check finds an outright breach."""
        channel = (channel or "").strip().lower()
        if channel not in self.channels:
            raise InvalidEntry(f"{channel or 'an empty value'!r} is not one of the council's official accounts; "
                               f"choose {', '.join(self.channels) or '(none are listed in the council profile)'}",
                               where="channel")
        text = str(text or "").strip()
        if not text:
            raise InvalidEntry("The post's text is needed", where="text")
        if len(text) > MAX_TEXT:
            raise InvalidEntry(f"The post's text is {len(text)} characters; the most is {MAX_TEXT}", where="text")
        designation = None
        if by.role != "proper-officer":
            designation = self._authorisations.designation_for(by.id, channel, on) if by.role != "administrator" \
                else None
            if designation is None:
                raise NotPermitted(f"the Proper Officer has not designated you to post on the council's {channel} "
                                   "account; ask the Clerk to publish it, or to designate you", where="channel")
        report = self._check(by.id, self._message(channel, text))
        if report.verdict == "block":
            raise PostBlocked(f"the check found that this would breach the policy ({_rules(report)}); change the "
                              "text before sending it to the Proper Officer", report=report)
        row = OfficialPostRow(channel=channel, handle=self.channels[channel], text=text, drafted_by_id=by.id,
                              drafted_by_name=by.name, drafted_by_email=by.email, drafted_at=datetime.now(timezone.utc),
                              designation_id=designation.id if designation else None, status="waiting",
                              submitted_verdict=report.verdict, submitted_findings=_findings_json(report))
        with write_session(self._factory) as s:
            s.add(row)
            s.flush()
            self._audit(s, actor=by.email, action="official-post-drafted", target_kind="official-post",
                        target_id=row.id, channel=channel, verdict=report.verdict, designation=row.designation_id)
            return _post(row)

    def _waiting_row(self, s: Session, post_id: int) -> OfficialPostRow:
        row = s.get(OfficialPostRow, post_id)
        if row is None:
            raise NoSuchEntry(f"there is no official post {post_id}", where="post")
        if row.status != "waiting":
            raise AlreadyDecided(f"official post {post_id} was already {row.status} by {row.decided_by}", where="post")
        return row

    @staticmethod
    def _decider(by: Person, what: str) -> None:
        if by.role != "proper-officer":
            raise NotPermitted(f"only the Proper Officer may {what} a post for the official accounts", where="post")

    def approve(self, post_id: int, *, by: Person, note: str = "", on: date) -> Post:
        """Check the post again and approve it: kept in the archive, then marked approved (audited).

        A post the check now blocks cannot be approved (return it instead); one it warns about needs a
        note saying why it may still be published, kept as the record's justification.
        """
        self._decider(by, "approve")
        note = str(note or "").strip()
        if len(note) > MAX_NOTE:
            raise InvalidEntry(f"The note is {len(note)} characters; the most is {MAX_NOTE}", where="note")
        with self._factory() as s:
            post = _post(self._waiting_row(s, post_id))
        report = self._check(post.drafted_by_id, self._message(post.channel, post.text))
        if report.verdict == "block":
            raise PostBlocked(f"checked again, this post would breach the policy ({_rules(report)}); return it "
                              "to be rewritten", report=report, where="post")
        if report.verdict == "warn" and not note:
            raise InvalidEntry(f"checked again, the post may breach the policy ({_rules(report)}); say in the note "
                               "why it may still be published, or return it", where="note")
        record_id = self._archive.keep(self._archive_item(post, report, by, note), actor=by.email)
        try:
            with write_session(self._factory) as s:
                row = self._waiting_row(s, post_id)
                row.status, row.decided_at, row.decided_by = "approved", datetime.now(timezone.utc), by.email
                row.decision_note, row.record_id = note or None, record_id
                row.approved_verdict, row.approved_findings = report.verdict, _findings_json(report)
                self._audit(s, actor=by.email, action="official-post-approved", target_kind="official-post",
                            target_id=post_id, verdict=report.verdict, record=record_id, note=note or None)
                return _post(row)
        except AlreadyDecided:  # decided by someone else meanwhile: the record must say it was not published
            self._archive.record_event(record_id, "not-published", actor=by.email,
                                       reason=f"official post {post_id} was decided by someone else meanwhile")
            raise

    def return_to_drafter(self, post_id: int, *, by: Person, reason: str) -> Post:
        """Send the post back with a reason the drafter will see (audited); it is not published."""
        self._decider(by, "return")
        reason = str(reason or "").strip()
        if not reason:
            raise InvalidEntry("The reason for returning it is needed", where="reason")
        if len(reason) > MAX_NOTE:
            raise InvalidEntry(f"The reason is {len(reason)} characters; the most is {MAX_NOTE}", where="reason")
        with write_session(self._factory) as s:
            row = self._waiting_row(s, post_id)
            row.status, row.decided_at, row.decided_by = "returned", datetime.now(timezone.utc), by.email
            row.decision_note = reason
            self._audit(s, actor=by.email, action="official-post-returned", target_kind="official-post",
                        target_id=post_id, reason=reason)
            return _post(row)

    def _archive_item(self, post: Post, report: Report, by: Person, note: str) -> ArchiveItem:
        """The approved post as a record: the account as its sender, the drafter and approver in headers."""
        now = datetime.now(timezone.utc)
        sender = formataddr((f"{self.council_name} ({post.channel})", f"{post.handle.lstrip('@')}@{post.channel}"))
        subject = f"Official {post.channel} post {post.id}"
        msg = EmailMessage()
        msg["From"] = sender
        msg["Subject"] = subject
        msg["Date"] = format_datetime(now)
        msg["Message-ID"] = message_id = make_msgid(f"official-post-{post.id}", domain="councilguard.invalid")
        msg["X-Councilguard-Account"] = f"{post.channel}: {post.handle}"
        msg["X-Councilguard-Drafted-By"] = formataddr((post.drafted_by_name, post.drafted_by_email))
        msg["X-Councilguard-Approved-By"] = by.email
        msg.set_content(post.text)
        warned = report.verdict == "warn"
        return ArchiveItem(raw=msg.as_bytes(policy=SMTP), sender=sender, received_at=now, sent_at=now,
                           message_id=message_id, subject=subject, body_text=post.text, findings=list(report.findings),
                           verdict=report.verdict, disposition="overridden" if warned else "relayed",
                           source=f"official-post:{post.channel}", override_justification=note if warned else None)

    # --- reading ----------------------------------------------------------------------------------------

    def get(self, post_id: int) -> Post:
        with self._factory() as s:
            row = s.get(OfficialPostRow, post_id)
            if row is None:
                raise NoSuchEntry(f"there is no official post {post_id}", where="post")
            return _post(row)

    def _list(self, *where, newest_first: bool = False, limit: int | None = None) -> list[Post]:
        order = OfficialPostRow.id.desc() if newest_first else OfficialPostRow.id
        with self._factory() as s:
            return [_post(r) for r in s.scalars(select(OfficialPostRow).where(*where).order_by(order).limit(limit))]

    def waiting(self) -> list[Post]:
        """Posts waiting for the Proper Officer, oldest first."""
        return self._list(OfficialPostRow.status == "waiting")

    def decided(self, limit: int = 20) -> list[Post]:
        """The latest approved or returned posts, newest first."""
        return self._list(OfficialPostRow.status != "waiting", newest_first=True, limit=limit)

    def drafted_by(self, person_id: int, limit: int = 50) -> list[Post]:
        """One person's own drafts, newest first."""
        return self._list(OfficialPostRow.drafted_by_id == person_id, newest_first=True, limit=limit)
