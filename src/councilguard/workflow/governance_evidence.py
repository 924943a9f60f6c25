"""The facts behind the annual governance return's digital and data compliance assertion, for one
financial year, gathered from what councilguard keeps.

What the records show: the council's e-mail addresses from the roster (on its own domain or not,
generic or named, and how many archived messages each sent in the year), messages sent from roster
members' personal addresses, the IT and social media policy (version, adoption minute, review date,
history) and who has acknowledged it, the retention schedule in force with the year's lawful deletions
and the legal holds, and the information-request log. What they cannot show is attested by the Clerk
(``attestations``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select

from councilguard.policy import Member, Pack
from councilguard.records import schedule_store
from councilguard.records.archive import Archive
from councilguard.records.requests import Requests, RequestStatus
from councilguard.records.retention_schedule import schedule_summary
from councilguard.records.schema import ChainEntry, RecordRow
from councilguard.workflow.attestations import Attestation, Attestations
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.policy_versions import Acknowledgements, PolicyVersions, Reader, VersionRecord

__all__ = ["Address", "FinancialYear", "GovernanceEvidence", "RetentionFacts", "financial_year", "gather",
           "last_full_year"]

KIND_LABELS = {"proper-officer": "Proper Officer", "staff": "Staff", "councillor": "Councillor"}


@dataclass(frozen=True)
class FinancialYear:
    """1 April to 31 March; named by the year it ends, as the annual return is."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"year ended 31 March {self.end.year}"

    @property
    def short(self) -> str:
        return f"{self.start.year}-{self.end.year % 100:02d}"

    def bounds(self) -> tuple[datetime, datetime]:
        return (datetime.combine(self.start, time.min, timezone.utc),
                datetime.combine(date(self.end.year, 4, 1), time.min, timezone.utc))


def financial_year(year_end: int) -> FinancialYear:
    if not 2000 <= year_end <= 2100:
        raise InvalidValue(f"{year_end} is not a year the annual return could be for; give the year the "
                           "financial year ends in, e.g. 2026 for the year ended 31 March 2026", where="year")
    return FinancialYear(date(year_end - 1, 4, 1), date(year_end, 3, 31))


def last_full_year(today: date) -> int:
    """The year the last financial year to have ended by ``today`` ends in (the one the return is for)."""
    return today.year if today > date(today.year, 3, 31) else today.year - 1


@dataclass(frozen=True)
class Address:
    person: str
    kind: str
    role: str | None
    address: str
    on_domain: bool
    generic: bool  # names a role (clerk@), not a person (cllr.ellis@)
    personal: bool  # one of the person's own addresses, recorded in council.yaml
    sent: int  # archived messages sent from it in the year


@dataclass(frozen=True)
class RetentionFacts:
    classes: list[dict]
    schedule_version: int | None
    saved_at: datetime | None
    saved_by: str | None
    deletions: int
    holds: list[str]


@dataclass(frozen=True)
class GovernanceEvidence:
    council: str
    domains: tuple[str, ...]
    year: FinancialYear
    prepared_on: date
    prepared_by: str
    addresses: list[Address]
    policy: VersionRecord
    policy_history: list[VersionRecord]
    acknowledgements: Acknowledgements
    retention: RetentionFacts
    requests: list[RequestStatus]
    attestations: dict[str, Attestation | None]

    @property
    def generic_on_domain(self) -> list[Address]:
        return [a for a in self.addresses if a.generic and a.on_domain]

    @property
    def personal_messages(self) -> int:
        """Messages in the year sent from roster members' personal addresses."""
        return sum(a.sent for a in self.addresses if a.personal)

    @property
    def councillors(self) -> list[Address]:
        return [a for a in self.addresses if a.kind == "councillor" and not a.personal]


def gather(archive: Archive, pack: Pack, versions: PolicyVersions, attestations: Attestations,
           readers: list[Reader], *, year_end: int, prepared_by: str, today: date | None = None) -> GovernanceEvidence:
    today = today or date.today()
    year = financial_year(year_end)
    if year.start > today:
        raise InvalidValue(f"the {year.label} has not started yet", where="year")
    start, end = year.bounds()
    with archive.session() as s:
        sent = dict(s.execute(select(RecordRow.sender_address, func.count())
                              .where(RecordRow.dated_at >= start, RecordRow.dated_at < end)
                              .group_by(RecordRow.sender_address)).all())
        deletions = s.scalar(select(func.count()).select_from(ChainEntry).where(
            ChainEntry.kind == "deleted", ChainEntry.recorded_at >= start, ChainEntry.recorded_at < end)) or 0
        schedule = schedule_store.current(s)
    holds = [h.name for h in archive.holds()]
    requests = [st for st in Requests(archive).list_requests(today=today, include_closed=True)
                if year.start <= st.request.received <= year.end]
    requests.sort(key=lambda st: (st.request.received, st.request.reference))
    return GovernanceEvidence(
        council=pack.council.name, domains=pack.council.domains, year=year, prepared_on=today,
        prepared_by=prepared_by, addresses=_addresses(pack, sent), policy=versions.current(pack),
        policy_history=versions.history(pack), acknowledgements=versions.acknowledgements(pack, readers),
        retention=RetentionFacts(schedule_summary(schedule.schedule), schedule.version, schedule.saved_at,
                                 schedule.saved_by, deletions, holds),
        requests=requests, attestations=attestations.latest(pack))


def _addresses(pack: Pack, sent: dict[str, int]) -> list[Address]:
    council = pack.council
    out: list[Address] = []
    seen: set[str] = set()
    for member in council.members:
        for address, personal in [(member.email, False), *((p, True) for p in member.personal_emails)]:
            if not address or address.lower() in seen:
                continue
            seen.add(address.lower())
            out.append(Address(member.name, member.kind, member.role, address.lower(),
                               council.is_council_address(address), not personal and _generic(member, address),
                               personal, sent.get(address.lower(), 0)))
    return out


def _generic(member: Member, address: str) -> bool:
    local = address.split("@", 1)[0].lower()
    names = {part.lower() for part in member.name.replace("-", " ").split() if len(part) > 2}
    return not any(name in local for name in names)
