"""Where an incident may come from, and nowhere else: published material, a reported remark, held mail.

ARCHITECTURE principle 6: a draft belongs to its author, and only what is published, sent or reported
becomes an incident. So there are exactly three ways in, each turned here into the incident's words and
its first evidence:

- ``Published``: material someone published, given by its link and a screenshot (both required, because a
  post can be edited or deleted) and its words as published.
- ``ReportedRemark``: a remark a councillor reported to the Clerk (the web app's report, looked up by
  its number and handed over as this plain record).
- a held e-mail: a message the relay held, found in the archive by its record number; it was sent, so it
  is no draft, and the archived copy (with its hash on the chain) is the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from councilguard.records.archive import Archive
from councilguard.records.archive_errors import RecordNotFoundError
from councilguard.records.items import Record, address_of
from councilguard.workflow.desk_errors import InvalidValue, NotFound
from councilguard.workflow.evidence import Screenshot, link as checked_link, screenshot as checked_screenshot, words


@dataclass(frozen=True)
class Published:
    """Material already published: its words, where (link, platform), when, and a screenshot of it."""

    text: str
    link: str
    screenshot: bytes | None
    platform: str = ""
    published_on: date | None = None


@dataclass(frozen=True)
class ReportedRemark:
    """A remark a councillor reported to the Clerk, as the report keeps it."""

    id: int
    remark: str
    link: str
    platform: str
    reported_by: str
    reported_at: datetime
    note: str = ""
    screenshot: bytes | None = None


@dataclass(frozen=True)
class NewEvidence:
    kind: str  # screenshot | link | text | email
    description: str
    link: str | None = None
    text: str | None = None
    image: Screenshot | None = None
    captured_on: date | None = None


@dataclass(frozen=True)
class Opening:
    """What an incident starts with: where it came from, the words, and the evidence to keep."""

    source_kind: str
    source_ref: str | None
    text: str
    link: str | None
    platform: str | None
    published_on: date | None
    evidence: list[NewEvidence] = field(default_factory=list)
    sender_address: str | None = None  # held mail: whose message it was


def from_published(material: Published, *, today: date) -> Opening:
    text = words(material.text, where="text", label="The words as published", limit=20_000)
    address = checked_link(material.link)
    shot = checked_screenshot(material.screenshot)
    platform = words(material.platform, where="platform", label="The platform", limit=100, required=False)
    if material.published_on is not None and material.published_on > today:
        raise InvalidValue(f"the publication date {material.published_on} is in the future", where="published_on")
    where = f" on {platform}" if platform else ""
    return Opening("published", None, text, address, platform or None, material.published_on, [
        NewEvidence("screenshot", f"Screenshot of the published material{where}", link=address, image=shot,
                    captured_on=material.published_on),
        NewEvidence("link", f"Where it was published{where}", link=address, captured_on=material.published_on),
        NewEvidence("text", "The words as published", text=text, captured_on=material.published_on)])


def from_remark(report: ReportedRemark) -> Opening:
    on = report.reported_at.date()
    evidence = [NewEvidence("text", f"The remark as reported by {report.reported_by} on {on:%d %b %Y}"
                            + (f" (their note: {report.note})" if report.note else ""), text=report.remark,
                            captured_on=on),
                NewEvidence("link", f"Where it was posted ({report.platform})", link=report.link, captured_on=on)]
    if report.screenshot:
        evidence.insert(1, NewEvidence("screenshot", f"Screenshot sent with report {report.id}", link=report.link,
                                       image=checked_screenshot(report.screenshot, where="report"),
                                       captured_on=on))
    return Opening("remark-report", str(report.id), report.remark, report.link, report.platform, on, evidence)


def from_held_email(archive: Archive, record_id: int) -> Opening:
    """A message the relay held (now, or before it was released or discarded); its archived copy is evidence."""
    try:
        record = archive.get(record_id)
        events = archive.events(record_id)
    except RecordNotFoundError:
        raise NotFound(f"there is no record {record_id} in the archive", where="record") from None
    if not any(e.disposition == "held" for e in events):
        raise InvalidValue(f"record {record_id} was never held by the relay; an incident can be opened from held "
                           "mail, from a reported remark, or from published material", where="record")
    if record.body_text is None:
        raise InvalidValue(f"record {record_id}: its content was deleted under the retention schedule, so there "
                           "is nothing to put in an incident", where="record")
    return Opening("held-email", str(record_id), record.body_text, None, "e-mail", record.dated_at.date(),
                   [NewEvidence("email", describe_record(record), text=record.body_text,
                                captured_on=record.dated_at.date())],
                   sender_address=address_of(record.sender))


def describe_record(record: Record) -> str:
    to = ", ".join(record.to) or "(no recipients)"
    return (f"E-mail held by the relay, archive record {record.id}: from {record.sender} to {to}, "
            f"subject {record.subject or '(none)'}, sent {record.dated_at:%d %b %Y %H:%M} UTC; "
            f"SHA-256 of the message as received {record.content_sha256}")
