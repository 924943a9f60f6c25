"""The incident register: open an incident from something published, reported or held, keep its notes
and evidence, refer it to the Monitoring Officer, record the outcome the principal authority decided,
and close it. Every change is kept with who made it and when, and written to the desk's audit log in
the same transaction.

The way in is deliberately narrow (see ``incident_sources``): there is no method that takes a draft.
The life of an incident::

    open ──refer──> referred ──record_outcome──> outcome-recorded ──close──> closed
      └──────────────────────────close (no referral, with the reason)──────────┘
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Callable, Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer, sessionmaker

from councilguard.policy import Pack
from councilguard.records.archive import Archive
from councilguard.records.db import write_session
from councilguard.workflow.audit import AuditWriter
from councilguard.workflow.desk_errors import InvalidValue, NotFound, WrongState
from councilguard.workflow.evidence import Screenshot, link as checked_link, screenshot as checked_screenshot, words
from councilguard.workflow.incident_model import (
    SOURCE_LABELS,
    STATUS_LABELS,
    Event,
    Evidence,
    Incident,
    RecordedOutcome,
    event,
    evidence,
    incident,
)
from councilguard.workflow.incident_sources import (
    NewEvidence,
    Opening,
    Published,
    ReportedRemark,
    from_held_email,
    from_published,
    from_remark,
)
from councilguard.workflow.incidents_schema import IncidentEventRow, IncidentEvidenceRow, IncidentRow
from councilguard.workflow.sanctions import Sanctions

__all__ = ["Evidence", "Event", "Incident", "Incidents", "Published", "RecordedOutcome", "ReportedRemark",
           "STATUS_LABELS"]

RemarkLookup = Callable[[int], ReportedRemark | None]


class Incidents:
    """The register for one council (its pack names the councillors, the rules and the outcomes)."""

    def __init__(self, factory: sessionmaker[Session], archive: Archive, pack: Pack, *, audit: AuditWriter,
                 remarks: RemarkLookup):
        self._factory = factory
        self._archive = archive
        self._pack = pack
        self._audit = audit
        self._remarks = remarks
        self.sanctions = Sanctions(pack)

    # --- opening: the only three ways in -------------------------------------------------------------

    def open_published(self, actor: str, material: Published, *, summary: str, councillor: str | None = None,
                       rules: Iterable[str] = (), today: date | None = None) -> Incident:
        """Open from published material: its words, its link and a screenshot (all required)."""
        return self._open(actor, from_published(material, today=today or date.today()), summary, councillor, rules)

    def open_from_remark(self, actor: str, report_id: int, *, summary: str, councillor: str | None = None,
                         rules: Iterable[str] = ()) -> Incident:
        """Open from a reported remark, by the report's number; its text, link and screenshot become evidence."""
        report = self._remarks(report_id)
        if report is None:
            raise NotFound(f"there is no reported remark {report_id}", where="report")
        return self._open(actor, from_remark(report), summary, councillor, rules)

    def open_from_held_email(self, actor: str, record_id: int, *, summary: str, councillor: str | None = None,
                             rules: Iterable[str] = ()) -> Incident:
        """Open from mail the relay held, by its archive record number; the councillor defaults to its sender."""
        opening = from_held_email(self._archive, record_id)
        if not councillor and opening.sender_address:
            member = self._pack.council.member_by_email(opening.sender_address)
            councillor = member.name if member and member.kind == "councillor" else None
        return self._open(actor, opening, summary, councillor, rules)

    def _open(self, actor: str, opening: Opening, summary: str, councillor: str | None,
              rules: Iterable[str]) -> Incident:
        actor = _actor(actor)
        summary = words(summary, where="summary", label="A short summary of the incident", limit=300)
        name = self._councillor(councillor) if councillor else None
        rule_ids = self._rules(rules)
        now = _now()
        with write_session(self._factory) as s:
            if opening.source_ref is not None:
                earlier = s.scalar(select(IncidentRow.id).where(IncidentRow.source_kind == opening.source_kind,
                                                               IncidentRow.source_ref == opening.source_ref))
                if earlier is not None:
                    raise WrongState(f"incident INC-{earlier:04d} was already opened from this "
                                     f"{SOURCE_LABELS[opening.source_kind].lower()}", where="source")
            row = IncidentRow(pack_id=self._pack.id, source_kind=opening.source_kind, source_ref=opening.source_ref,
                              summary=summary, text=opening.text, link=opening.link, platform=opening.platform,
                              published_on=opening.published_on, councillor=name, rules=json.dumps(rule_ids),
                              status="open", opened_at=now, opened_by=actor, updated_at=now)
            s.add(row)
            s.flush()
            for item in opening.evidence:
                s.add(_evidence_row(row.id, item, actor, now))
            detail = {"source": opening.source_kind, "source_ref": opening.source_ref, "councillor": name,
                      "rules": rule_ids}
            self._event(s, row, actor, "opened", "", now, **detail)
            self._audit(s, actor=actor, action="incident-opened", target_kind="incident", target_id=row.id,
                        summary=summary, **detail)
            incident_id = row.id
        return self.get(incident_id)

    # --- reading ------------------------------------------------------------------------------------

    def get(self, incident_id: int) -> Incident:
        with self._factory() as s:
            row = s.get(IncidentRow, incident_id)
            if row is None:
                raise NotFound(f"there is no incident {incident_id}", where="incident")
            items = s.execute(select(IncidentEvidenceRow, func.length(IncidentEvidenceRow.data))
                              .options(defer(IncidentEvidenceRow.data))
                              .where(IncidentEvidenceRow.incident_id == incident_id)
                              .order_by(IncidentEvidenceRow.id)).all()
            events = s.scalars(select(IncidentEventRow).where(IncidentEventRow.incident_id == incident_id)
                               .order_by(IncidentEventRow.id))
            return incident(row, tuple(evidence(e, size) for e, size in items), tuple(event(e) for e in events))

    def list(self, *, status: str | None = None, include_closed: bool = True) -> list[Incident]:
        """Incidents newest first (without their evidence and events), optionally of one status."""
        stmt = select(IncidentRow).order_by(IncidentRow.id.desc())
        if status is not None:
            if status not in STATUS_LABELS:
                raise InvalidValue(f"{status!r} is not a status; statuses are: {', '.join(STATUS_LABELS)}",
                                   where="status")
            stmt = stmt.where(IncidentRow.status == status)
        elif not include_closed:
            stmt = stmt.where(IncidentRow.status != "closed")
        with self._factory() as s:
            return [incident(r) for r in s.scalars(stmt)]

    def open_count(self) -> int:
        """Incidents not yet closed (the desk's line)."""
        with self._factory() as s:
            return s.scalar(select(func.count()).select_from(IncidentRow).where(IncidentRow.status != "closed")) or 0

    def evidence_file(self, incident_id: int, evidence_id: int) -> tuple[bytes, str]:
        """A screenshot's bytes and media type."""
        with self._factory() as s:
            row = s.get(IncidentEvidenceRow, evidence_id)
            if row is None or row.incident_id != incident_id or row.data is None:
                raise NotFound(f"incident {incident_id} has no screenshot {evidence_id}", where="evidence")
            return row.data, row.media_type or "application/octet-stream"

    def screenshots(self, incident_id: int) -> list[tuple[Evidence, bytes]]:
        """Every screenshot of an incident with its bytes, in the order added (for the referral pack)."""
        with self._factory() as s:
            rows = s.scalars(select(IncidentEvidenceRow).where(IncidentEvidenceRow.incident_id == incident_id,
                                                               IncidentEvidenceRow.data.is_not(None))
                             .order_by(IncidentEvidenceRow.id))
            return [(evidence(r, len(r.data or b"")), r.data or b"") for r in rows]

    # --- changes ------------------------------------------------------------------------------------

    def add_note(self, incident_id: int, actor: str, note: str) -> Incident:
        actor = _actor(actor)
        note = words(note, where="note", label="The note", limit=10_000)
        with self._change(incident_id, allowed=("open", "referred", "outcome-recorded")) as (s, row, now):
            self._event(s, row, actor, "note", note, now)
            self._audit(s, actor=actor, action="incident-note", target_kind="incident", target_id=row.id)
        return self.get(incident_id)

    def add_evidence(self, incident_id: int, actor: str, *, description: str, link: str | None = None,
                     text: str | None = None, screenshot: bytes | None = None,
                     captured_on: date | None = None, today: date | None = None) -> Incident:
        """Add a screenshot, a link or a text (one of them) with a description of what it shows."""
        actor = _actor(actor)
        item = _new_evidence(description, link, text, screenshot, captured_on, today or date.today())
        with self._change(incident_id, allowed=("open", "referred", "outcome-recorded")) as (s, row, now):
            added = _evidence_row(row.id, item, actor, now)
            s.add(added)
            s.flush()
            self._event(s, row, actor, "evidence-added", "", now, evidence=added.id, evidence_kind=item.kind,
                        description=item.description, sha256=added.sha256)
            self._audit(s, actor=actor, action="incident-evidence-added", target_kind="incident", target_id=row.id,
                        evidence=added.id, evidence_kind=item.kind, sha256=added.sha256)
        return self.get(incident_id)

    def set_details(self, incident_id: int, actor: str, *, councillor: str | None, rules: Iterable[str]) -> Incident:
        """Name the councillor concerned and the policy rules the incident may breach (before a referral)."""
        actor = _actor(actor)
        name = self._councillor(councillor) if councillor else None
        rule_ids = self._rules(rules)
        with self._change(incident_id, allowed=("open",)) as (s, row, now):
            row.councillor, row.rules = name, json.dumps(rule_ids)
            self._event(s, row, actor, "details", "", now, councillor=name, rules=rule_ids)
            self._audit(s, actor=actor, action="incident-details", target_kind="incident", target_id=row.id,
                        councillor=name, rules=rule_ids)
        return self.get(incident_id)

    def refer(self, incident_id: int, actor: str, *, referred_on: date | None, referral_ref: str | None = None,
              note: str = "", today: date | None = None) -> Incident:
        """Record that the incident was referred to the Monitoring Officer (on a date, with their reference)."""
        actor, today = _actor(actor), today or date.today()
        if referred_on is None:
            raise InvalidValue("give the date the referral was sent to the Monitoring Officer", where="referred_on")
        if referred_on > today:
            raise InvalidValue(f"the referral date {referred_on} is in the future; record it once it is sent",
                               where="referred_on")
        ref = words(referral_ref, where="referral_ref", label="The Monitoring Officer's reference", limit=200,
                    required=False)
        note = words(note, where="note", label="The note", limit=10_000, required=False)
        with self._change(incident_id, allowed=("open",)) as (s, row, now):
            if not row.councillor:
                raise InvalidValue("name the councillor concerned before recording the referral: a complaint to "
                                   "the Monitoring Officer is about a councillor's conduct", where="councillor")
            if row.published_on is not None and referred_on < row.published_on:
                raise InvalidValue(f"the referral date {referred_on} is before the material was published "
                                   f"({row.published_on})", where="referred_on")
            row.status, row.referred_on, row.referred_by, row.referral_ref = "referred", referred_on, actor, ref or None
            self._event(s, row, actor, "referred", note, now, referred_on=referred_on, referral_ref=ref or None)
            self._audit(s, actor=actor, action="incident-referred", target_kind="incident", target_id=row.id,
                        referred_on=referred_on, referral_ref=ref or None)
        return self.get(incident_id)

    def record_outcome(self, incident_id: int, actor: str, *, outcome: str, decided_on: date | None,
                       decision_ref: str | None, note: str = "", today: date | None = None) -> Incident:
        """Record the outcome the principal authority's standards process decided: one the pack lists."""
        actor = _actor(actor)
        note = words(note, where="note", label="The note", limit=10_000, required=False)
        with self._change(incident_id, allowed=("referred",)) as (s, row, now):
            decided = self.sanctions.outcome(outcome, decided_on=decided_on, reference=decision_ref,
                                             today=today or date.today(), referred_on=row.referred_on)
            o = decided.option
            row.status, row.outcome, row.outcome_label = "outcome-recorded", o.id, o.label
            row.outcome_decided_by, row.outcome_legal_basis = o.decided_by, o.legal_basis
            row.decided_on, row.decision_ref = decided.decided_on, decided.reference
            detail = {"outcome": o.id, "decided_by": o.decided_by, "legal_basis": o.legal_basis,
                      "decided_on": decided.decided_on, "decision_ref": decided.reference}
            self._event(s, row, actor, "outcome-recorded", note, now, **detail)
            self._audit(s, actor=actor, action="incident-outcome-recorded", target_kind="incident", target_id=row.id,
                        **detail)
        return self.get(incident_id)

    def close(self, incident_id: int, actor: str, *, reason: str) -> Incident:
        """Close an incident once its outcome is recorded, or an open one that will not be referred (say why)."""
        actor = _actor(actor)
        reason = words(reason, where="reason", label="What was done, or why it is closed without a referral",
                       limit=10_000)
        with self._change(incident_id, allowed=("open", "outcome-recorded")) as (s, row, now):
            referred = row.status != "open"
            row.status, row.closed_at, row.closed_by = "closed", now, actor
            self._event(s, row, actor, "closed", reason, now, referred=referred)
            self._audit(s, actor=actor, action="incident-closed", target_kind="incident", target_id=row.id,
                        referred=referred)
        return self.get(incident_id)

    def record_pack(self, incident_id: int, actor: str, *, sha256: str, findings: list[str]) -> None:
        """Note that a referral pack was prepared (any status: a closed incident's pack may be asked for again)."""
        actor = _actor(actor)
        with self._change(incident_id, allowed=tuple(STATUS_LABELS)) as (s, row, now):
            self._event(s, row, actor, "referral-pack", "", now, sha256=sha256, findings=findings)
            self._audit(s, actor=actor, action="incident-referral-pack", target_kind="incident", target_id=row.id,
                        sha256=sha256)

    # --- helpers ------------------------------------------------------------------------------------

    @contextmanager
    def _change(self, incident_id: int, *, allowed: tuple[str, ...]) -> Iterator[tuple[Session, IncidentRow, datetime]]:
        """One change to one incident: the row locked for writing, its status checked, ``updated_at`` stamped;
        committed with its event and audit row, or not at all."""
        with write_session(self._factory) as s:
            row = s.get(IncidentRow, incident_id, with_for_update=True)
            if row is None:
                raise NotFound(f"there is no incident {incident_id}", where="incident")
            if row.status not in allowed:
                raise WrongState(_not_now(row.status, allowed), where="status")
            now = _now()
            row.updated_at = now
            yield s, row, now

    def _event(self, s: Session, row: IncidentRow, actor: str, kind: str, note: str, now: datetime, **detail) -> None:
        s.add(IncidentEventRow(incident_id=row.id, at=now, actor=actor, kind=kind, status=row.status, note=note,
                               detail=json.dumps(detail, sort_keys=True, default=str)))

    def _councillor(self, name: str) -> str:
        councillors = self._pack.council.of_kind("councillor")
        wanted = " ".join(name.split()).lower()
        for member in councillors:
            if member.name.lower() == wanted:
                return member.name
        raise InvalidValue(f"{name.strip()!r} is not a councillor on the council's roster (council.yaml); the "
                           f"councillors are: {', '.join(m.name for m in councillors)}", where="councillor")

    def _rules(self, rules: Iterable[str]) -> list[str]:
        known = [r.id for r in self._pack.rules]
        chosen: list[str] = []
        for rule in rules:
            rule = rule.strip()
            if not rule:
                continue
            if rule not in known:
                raise InvalidValue(f"the policy has no rule {rule!r}; its rules are: {', '.join(known)}",
                                   where="rules")
            if rule not in chosen:
                chosen.append(rule)
        return chosen


def _not_now(status: str, allowed: tuple[str, ...]) -> str:
    if status == "closed":
        return "the incident is closed; nothing more can be added to it"
    if allowed == ("referred",) and status == "open":
        return ("outcomes are decided by the principal authority after a referral: record the referral to the "
                "Monitoring Officer first")
    if allowed == ("referred",):
        return "an outcome is already recorded for this incident"
    if status == "referred" and "outcome-recorded" in allowed:
        return ("the incident is with the Monitoring Officer: record the outcome they decided before closing it")
    return f"this cannot be done while the incident is {STATUS_LABELS[status].lower()}"


def _new_evidence(description: str, link: str | None, text: str | None, screenshot: bytes | None,
                  captured_on: date | None, today: date) -> NewEvidence:
    description = words(description, where="description", label="What the evidence shows", limit=2_000)
    given = [name for name, value in (("screenshot", screenshot), ("link", (link or "").strip()),
                                      ("text", (text or "").strip())) if value]
    if len(given) != 1:
        raise InvalidValue("give one piece of evidence at a time: a screenshot, a link or a text"
                           + (f" (got {', '.join(given)})" if given else ""), where="evidence")
    if captured_on is not None and captured_on > today:
        raise InvalidValue(f"the date {captured_on} is in the future", where="captured_on")
    kind = given[0]
    if kind == "screenshot":
        return NewEvidence(kind, description, image=checked_screenshot(screenshot), captured_on=captured_on)
    if kind == "link":
        return NewEvidence(kind, description, link=checked_link(link), captured_on=captured_on)
    return NewEvidence(kind, description, text=words(text, where="text", label="The text", limit=20_000),
                       captured_on=captured_on)


def _evidence_row(incident_id: int, item: NewEvidence, actor: str, now: datetime) -> IncidentEvidenceRow:
    image: Screenshot | None = item.image
    return IncidentEvidenceRow(incident_id=incident_id, kind=item.kind, description=item.description, link=item.link,
                               text=item.text, data=image.data if image else None,
                               media_type=image.media_type if image else None,
                               sha256=image.sha256 if image else None, captured_on=item.captured_on,
                               added_at=now, added_by=actor)


def _actor(actor: str) -> str:
    if not (actor or "").strip():
        raise InvalidValue("say who is doing this: the register records who made every change", where="actor")
    return actor.strip()


def _now() -> datetime:
    return datetime.now(timezone.utc)
