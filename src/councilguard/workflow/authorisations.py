"""The register of authorisations: who may speak for the council, spend, post on its official accounts or
use a personal e-mail account, on what authority, and until when.

The policy lets a councillor do these things only when properly authorised, so the checker must know
what each person holds *today*: ``held_by`` answers that for the web's checks and ``held_by_address``
for the relay's. Each entry names its true source (a resolution and its minute, the scheme of
delegation, the financial regulations, or the Proper Officer's designation or consent), so the register
can be read back as evidence of why a post was not flagged. Revoking keeps the row; nothing is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Mapping

from sqlalchemy import Connection, Engine, Select, bindparam, or_, select
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records.db import write_session
from councilguard.text.addresses import is_address
from councilguard.workflow.audit import AuditWriter
from councilguard.workflow.authorities_schema import AuthorisationRow
from councilguard.workflow.authority_errors import AlreadyDecided, InvalidEntry, NoSuchEntry

# What the checker's rules honour (see the detectors' ``ctx.holds(...)``), and where each may come from.
SOURCES: dict[str, tuple[str, ...]] = {
    "speak-for-council": ("resolution", "scheme-of-delegation", "financial-regulations"),
    "purchase": ("financial-regulations", "resolution", "scheme-of-delegation"),
    "official-account": ("proper-officer-designation", "resolution"),
    "personal-email": ("proper-officer-consent",),
}
KINDS = tuple(SOURCES)
SOURCE_KINDS = ("resolution", "scheme-of-delegation", "financial-regulations", "proper-officer-designation",
                "proper-officer-consent")
KIND_LABELS = {"speak-for-council": "Speak for the council", "purchase": "Spend in the council's name",
               "official-account": "Post on an official account", "personal-email": "Use a personal e-mail account"}
SOURCE_LABELS = {"resolution": "Council resolution", "scheme-of-delegation": "Scheme of delegation",
                 "financial-regulations": "Financial regulations",
                 "proper-officer-designation": "Proper Officer's designation",
                 "proper-officer-consent": "Proper Officer's consent"}
HOLDER_ROLES = ("councillor", "staff", "proper-officer")  # an administrator keeps accounts, nothing more
LIMITS = {"reference": 200, "scope": 2_000, "reason": 5_000}


@dataclass(frozen=True)
class Person:
    """Someone who can hold an authority or draft a post, as the web knows them."""

    id: int
    name: str
    email: str
    role: str  # councillor | staff | proper-officer | administrator


@dataclass(frozen=True)
class NewAuthorisation:
    """What the Clerk records: the kind, its source and reference, the date given, its scope and end."""

    kind: str
    source_kind: str
    reference: str
    decided_on: date
    scope: str
    expires_on: date | None = None
    channel: str | None = None  # official-account only: the account's channel, or None for every account
    address: str | None = None  # personal-email only: the one personal account consented to, or None for any

    def validated(self, channels: Mapping[str, str]) -> NewAuthorisation:
        """This entry cleaned, or InvalidEntry naming the field; ``channels`` maps channel -> handle."""
        if self.kind not in SOURCES:
            raise InvalidEntry(f"{self.kind!r} is not a kind of authorisation; use one of {', '.join(KINDS)}",
                               where="kind")
        if self.source_kind not in SOURCE_KINDS:
            raise InvalidEntry(f"{self.source_kind!r} is not a source; use one of {', '.join(SOURCE_KINDS)}",
                               where="source_kind")
        allowed = SOURCES[self.kind]
        if self.source_kind not in allowed:
            names = " or ".join(SOURCE_LABELS[s].lower() for s in allowed)
            raise InvalidEntry(f"{KIND_LABELS[self.kind]} comes from the {names}, not the "
                               f"{SOURCE_LABELS[self.source_kind].lower()}", where="source_kind")
        reference, scope = _text(self.reference, "reference", "The minute or reference"), _text(
            self.scope, "scope", "What it covers")
        if not isinstance(self.decided_on, date):
            raise InvalidEntry("the date it was given is needed (a date like 2026-11-26)", where="decided_on")
        if self.expires_on is not None and self.expires_on < self.decided_on:
            raise InvalidEntry(f"it would end on {self.expires_on}, before it was given ({self.decided_on})",
                               where="expires_on")
        channel = (self.channel or "").strip().lower() or None
        if channel is not None and self.kind != "official-account":
            raise InvalidEntry("an account is only chosen for an official-account designation", where="channel")
        if channel is not None and channel not in channels:
            raise InvalidEntry(f"{channel!r} is not one of the council's official accounts "
                               f"({', '.join(channels) or 'none are listed in the council profile'})",
                               where="channel")
        address = (self.address or "").strip().lower() or None
        if address is not None and self.kind != "personal-email":
            raise InvalidEntry("an address is only given for consent to use a personal e-mail account", where="address")
        if address is not None and (len(address) > 320 or not is_address(address)):
            raise InvalidEntry(f"{address!r} is not an e-mail address (like jim@example.org)", where="address")
        return replace(self, reference=reference, scope=scope, channel=channel, address=address)


@dataclass(frozen=True)
class Authorisation:
    id: int
    holder_id: int
    holder_name: str
    holder_email: str
    holder_role: str
    kind: str
    source_kind: str
    reference: str
    decided_on: date
    scope: str
    channel: str | None
    expires_on: date | None
    consent_request_id: int | None
    recorded_at: datetime
    recorded_by: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoked_reason: str | None
    address: str | None = None  # personal-email: the account consented to (None: any)

    def state(self, on: date) -> str:
        """current, not-yet (given for a later day), expired or revoked, as of ``on``."""
        if self.revoked_at is not None and self.revoked_at.date() <= on:
            return "revoked"
        if self.decided_on > on:
            return "not-yet"
        if self.expires_on is not None and self.expires_on < on:
            return "expired"
        return "current"

    def covers(self, channel: str | None) -> bool:
        """An official-account designation for no one account covers all of them."""
        return self.channel is None or channel is None or self.channel == channel.strip().lower()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def source_label(self) -> str:
        return SOURCE_LABELS.get(self.source_kind, self.source_kind)


def _text(value: Any, field: str, label: str) -> str:
    value = str(value or "").strip()
    if not value:
        raise InvalidEntry(f"{label} is needed", where=field)
    if len(value) > LIMITS[field]:
        raise InvalidEntry(f"{label} is {len(value)} characters; the most is {LIMITS[field]}", where=field)
    return value


def _authorisation(r: AuthorisationRow) -> Authorisation:
    return Authorisation(r.id, r.holder_id, r.holder_name, r.holder_email, r.holder_role, r.kind, r.source_kind,
                         r.reference, r.decided_on, r.scope, r.channel, r.expires_on, r.consent_request_id,
                         r.recorded_at, r.recorded_by, r.revoked_at, r.revoked_by, r.revoked_reason, r.address)


def _in_force_for(who) -> Select:
    """(kind, channel, address) of ``who``'s entries in force on the bound day ``on`` (revoked before ``next_midnight``
    means revoked that day). Built once: the relay asks it for every message."""
    return select(AuthorisationRow.kind, AuthorisationRow.channel, AuthorisationRow.address).where(
        who, AuthorisationRow.decided_on <= bindparam("on"),
        or_(AuthorisationRow.expires_on.is_(None), AuthorisationRow.expires_on >= bindparam("on")),
        or_(AuthorisationRow.revoked_at.is_(None), AuthorisationRow.revoked_at >= bindparam("next_midnight")))


_BY_ID = _in_force_for(AuthorisationRow.holder_id == bindparam("who"))
_BY_ADDRESS = _in_force_for(AuthorisationRow.holder_email == bindparam("who"))


def _held(s: Session | Connection, query: Select, who: object, on: date, channel: str | None) -> frozenset[str]:
    """The kinds in force on ``on``, official-account only where the designation covers ``channel``, and a
    consent for one personal account as "personal-email:<address>" (what the checker honours for it alone)."""
    wanted = (channel or "").strip().lower() or None
    next_midnight = datetime(on.year, on.month, on.day, tzinfo=timezone.utc) + timedelta(days=1)
    rows = s.execute(query, {"who": who, "on": on, "next_midnight": next_midnight})
    return frozenset(f"{kind}:{address}" if kind == "personal-email" and address else kind
                     for kind, only, address in rows
                     if kind != "official-account" or only is None or wanted is None or only == wanted)


def record_in(s: Session, holder: Person, new: NewAuthorisation, *, by: str,
              consent_request_id: int | None = None) -> AuthorisationRow:
    """Add an already validated entry in ``s`` (the caller's transaction); the caller audits it."""
    row = AuthorisationRow(holder_id=holder.id, holder_name=holder.name, holder_email=holder.email.strip().lower(),
                           holder_role=holder.role, kind=new.kind, source_kind=new.source_kind,
                           reference=new.reference, decided_on=new.decided_on, scope=new.scope, channel=new.channel,
                           address=new.address,
                           expires_on=new.expires_on, consent_request_id=consent_request_id,
                           recorded_at=datetime.now(timezone.utc), recorded_by=by)
    s.add(row)
    s.flush()
    return row


def held_by_address(factory: sessionmaker[Session], address: str, on: date, channel: str | None = "email"
                    ) -> frozenset[str]:
    """The kinds of authority the person with e-mail ``address`` holds on ``on`` (what the relay asks)."""
    address = (address or "").strip().lower()
    if not address:
        return frozenset()
    with factory() as s:
        return _held(s, _BY_ADDRESS, address, on, channel)


class SenderAuthorisations:
    """The relay's question, "what does this sender hold today?", over the archive's own database."""

    def __init__(self, engine: Engine):
        # one SELECT needs no transaction around it: on PostgreSQL that saves BEGIN's and ROLLBACK's round
        # trips (0.49 -> 0.33 ms a question, p50 of 500); SQLite's transactions cost no round trip
        self._engine = (engine.execution_options(isolation_level="AUTOCOMMIT")
                        if engine.dialect.name == "postgresql" else engine)

    def __call__(self, address: str) -> frozenset[str]:
        """As :func:`held_by_address`, on a plain connection rather than an ORM session: it is asked for every
        message while a checker process parses it (for a message without attachments the parse is over
        first, so the answer is waited for), and the session nearly doubled it (0.29 -> 0.17 ms alone)."""
        address = (address or "").strip().lower()
        if not address:
            return frozenset()
        with self._engine.connect() as connection:
            return _held(connection, _BY_ADDRESS, address, date.today(), "email")


class Authorisations:
    """The register, over the records database; every change is audited in its own transaction."""

    def __init__(self, factory: sessionmaker[Session], *, channels: Mapping[str, str], audit: AuditWriter):
        self._factory = factory
        self.channels = {c.strip().lower(): h for c, h in channels.items()}  # official accounts: channel -> handle
        self._audit = audit

    def record(self, holder: Person, new: NewAuthorisation, *, by: Person) -> Authorisation:
        """Add ``new`` for ``holder``, recorded by ``by``; InvalidEntry names the field that is wrong."""
        if holder.role not in HOLDER_ROLES:
            raise InvalidEntry(f"{holder.name} has an administrator account, which cannot hold authorisations; "
                               "choose a councillor or member of staff", where="holder_id")
        new = new.validated(self.channels)
        with write_session(self._factory) as s:
            row = record_in(s, holder, new, by=by.email)
            self._audit(s, actor=by.email, action="authorisation-recorded", target_kind="authorisation",
                        target_id=row.id, holder=row.holder_email, kind=row.kind, source_kind=row.source_kind,
                        reference=row.reference, decided_on=row.decided_on.isoformat(), channel=row.channel,
                        expires_on=row.expires_on.isoformat() if row.expires_on else None)
            return _authorisation(row)

    def revoke(self, authorisation_id: int, *, by: Person, reason: str) -> Authorisation:
        """End an authorisation today, with the reason; one already revoked cannot be revoked again."""
        reason = _text(reason, "reason", "The reason for revoking")
        with write_session(self._factory) as s:
            row = s.get(AuthorisationRow, authorisation_id)
            if row is None:
                raise NoSuchEntry(f"there is no authorisation {authorisation_id}", where="authorisation")
            if row.revoked_at is not None:
                raise AlreadyDecided(f"authorisation {authorisation_id} was already revoked by {row.revoked_by} "
                                     f"on {row.revoked_at:%d %b %Y}", where="authorisation")
            row.revoked_at, row.revoked_by, row.revoked_reason = datetime.now(timezone.utc), by.email, reason
            self._audit(s, actor=by.email, action="authorisation-revoked", target_kind="authorisation",
                        target_id=row.id, holder=row.holder_email, kind=row.kind, reason=reason)
            return _authorisation(row)

    def get(self, authorisation_id: int) -> Authorisation:
        with self._factory() as s:
            row = s.get(AuthorisationRow, authorisation_id)
            if row is None:
                raise NoSuchEntry(f"there is no authorisation {authorisation_id}", where="authorisation")
            return _authorisation(row)

    def _list(self, *where) -> list[Authorisation]:
        with self._factory() as s:
            rows = s.scalars(select(AuthorisationRow).where(*where)
                             .order_by(AuthorisationRow.holder_name, AuthorisationRow.decided_on, AuthorisationRow.id))
            return [_authorisation(r) for r in rows]

    def all(self) -> list[Authorisation]:
        """Every entry ever recorded, by holder then date (the page shows each one's state)."""
        return self._list()

    def of_holder(self, holder_id: int) -> list[Authorisation]:
        return self._list(AuthorisationRow.holder_id == holder_id)

    def current(self, holder_id: int, on: date) -> list[Authorisation]:
        """The entries in force for ``holder_id`` on ``on``."""
        return [a for a in self.of_holder(holder_id) if a.state(on) == "current"]

    def held_by(self, holder_id: int, on: date, channel: str | None = None) -> frozenset[str]:
        """The kinds the checker should honour for this person on ``on`` (official-account only when a
        designation covers ``channel``)."""
        with self._factory() as s:
            return _held(s, _BY_ID, holder_id, on, channel)

    def designation_for(self, holder_id: int, channel: str, on: date) -> Authorisation | None:
        """The holder's official-account designation covering ``channel`` on ``on``, if any (newest first)."""
        found = [a for a in self.current(holder_id, on) if a.kind == "official-account" and a.covers(channel)]
        return max(found, key=lambda a: (a.decided_on, a.id)) if found else None
