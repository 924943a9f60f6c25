"""What councilguard cannot check for itself, attested by the Clerk with a link to the evidence.

The governance evidence pack shows what the records prove (addresses in use, the policy's adoption,
acknowledgements, retention, information requests). Some of the digital and data compliance assertion is
about things outside them: whether the council's website meets the accessibility regulations, whether the
publication scheme is adopted and kept. For those the pack carries the Clerk's attestation: a statement,
the date, and a link anyone can follow to check it. Attestations are only added; the newest per topic is
the one in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Pack
from councilguard.records.db import write_session
from councilguard.workflow.audit import AuditWriter
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.evidence import link as checked_link, words
from councilguard.workflow.governance_schema import AttestationRow

__all__ = ["TOPICS", "Attestation", "Attestations", "Topic"]


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    statement: str  # what the Clerk attests, unless they word it themselves
    link_hint: str  # what the link should point at


TOPICS = {t.id: t for t in (
    Topic("website-accessibility", "The website's accessibility",
          "The council's website meets the Public Sector Bodies (Websites and Mobile Applications) (No. 2) "
          "Accessibility Regulations 2018 and publishes an accessibility statement.",
          "the accessibility statement on the council's website"),
    Topic("publication-scheme", "The publication scheme",
          "The council has adopted the model publication scheme (Freedom of Information Act 2000 s19) and "
          "publishes the information it lists.",
          "the publication scheme, or its guide to information, on the council's website"),
)}


@dataclass(frozen=True)
class Attestation:
    id: int
    topic: Topic
    statement: str
    link: str
    attested_on: date
    recorded_at: datetime
    recorded_by: str


class Attestations:
    def __init__(self, factory: sessionmaker[Session], *, audit: AuditWriter):
        self._factory = factory
        self._audit = audit

    def record(self, pack: Pack, actor: str, *, topic: str, link: str | None, attested_on: date | None,
               statement: str | None = None, today: date | None = None) -> Attestation:
        """Record the Clerk's attestation on ``topic`` with the link that evidences it. Audited."""
        today = today or date.today()
        if topic not in TOPICS:
            raise InvalidValue(f"{topic!r} is not something to attest; the topics are: {', '.join(TOPICS)}",
                               where="topic")
        subject = TOPICS[topic]
        address = checked_link(link, label=f"The link to {subject.link_hint}")
        if attested_on is None:
            raise InvalidValue("give the date you checked it", where="attested_on")
        if attested_on > today:
            raise InvalidValue(f"the date {attested_on} is in the future", where="attested_on")
        said = words(statement, where="statement", label="The statement", limit=2_000, required=False) \
            or subject.statement
        if not (actor or "").strip():
            raise InvalidValue("say who is attesting", where="actor")
        with write_session(self._factory) as s:
            row = AttestationRow(pack_id=pack.id, topic=topic, statement=said, link=address, attested_on=attested_on,
                                 recorded_at=datetime.now(timezone.utc), recorded_by=actor)
            s.add(row)
            s.flush()
            self._audit(s, actor=actor, action="attestation-recorded", target_kind="attestation", target_id=row.id,
                        topic=topic, link=address, attested_on=attested_on)
            return _attestation(row)

    def latest(self, pack: Pack) -> dict[str, Attestation | None]:
        """{topic: the attestation in force, or None} for every topic."""
        with self._factory() as s:
            rows = s.scalars(select(AttestationRow).where(AttestationRow.pack_id == pack.id)
                             .order_by(AttestationRow.id))
            found = {r.topic: _attestation(r) for r in rows if r.topic in TOPICS}
        return {topic: found.get(topic) for topic in TOPICS}

    def history(self, pack: Pack) -> list[Attestation]:
        """Every attestation, newest first."""
        with self._factory() as s:
            rows = s.scalars(select(AttestationRow).where(AttestationRow.pack_id == pack.id)
                             .order_by(AttestationRow.id.desc()))
            return [_attestation(r) for r in rows if r.topic in TOPICS]


def _attestation(row: AttestationRow) -> Attestation:
    return Attestation(row.id, TOPICS[row.topic], row.statement, row.link, row.attested_on, row.recorded_at,
                       row.recorded_by)
