"""Information requests (FOI, EIR, subject access): register, time, search, hold, collect, review, close.

WHY: a parish Clerk answers a few requests a year, each with a legal deadline and a duty not to destroy
what was asked for (FOIA s77, EIR reg 19, DPA 2018 s173). This is the Clerk's register of them. Each
search the Clerk runs for a request places a legal hold by its criteria, so records archived later that
match are kept too; the holds are released only on an explicit command once the request is closed and
any review period the Clerk set is over. The due date and status come from ``RequestClock`` over the
recorded clock events. Every step is logged (who, when) in the request's log, and steps about a record
also go on the archive's hash chain, in the same transaction as the change itself.

Redaction and export live in ``redaction`` and ``bundle``; storage in ``request_store``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from councilguard.records import chain, holds
from councilguard.records.archive import Archive
from councilguard.records.clocks import ClockError, ClockReading, ExtensionNotice, RequestType
from councilguard.text.addresses import is_address
from councilguard.records.request_schema import (
    RequestClockRow,
    RequestEventRow,
    RequestRecordRow,
    RequestRedactionRow,
    RequestRow,
    RequestSearchRow,
)
from councilguard.records.request_store import (
    CLOCK_EVENTS,
    CollectedRecord,
    DataSubject,
    InfoRequest,
    Requester,
    RequestError,
    RequestEvent,
    RequestSearch,
    RequestStore,
    actor_of,
    phone_forms,
    required,
    to_collected,
    to_event,
    to_request,
)
from councilguard.records.schema import RecordRow
from councilguard.records.search import SearchCriteria, parse_query, search
from councilguard.records.working_days import NATIONS

__all__ = ["KIND_LABELS", "OUTCOMES", "CollectResult", "Requests", "RequestStatus", "subject_searches"]

KIND_LABELS = {RequestType.FOI: "Freedom of Information request",
               RequestType.EIR: "Environmental Information Regulations request",
               RequestType.SAR: "Subject access request"}
OFFENCE = {RequestType.FOI: "FOIA s77", RequestType.EIR: "EIR reg 19", RequestType.SAR: "DPA 2018 s173"}
OUTCOMES = {
    "disclosed": "all the information asked for was provided",
    "part-disclosed": "some information was provided and some withheld",
    "withheld": "the information was withheld under an exemption or exception",
    "not-held": "the council does not hold the information",
    "withdrawn": "the requester withdrew the request",
    "lapsed": "the request lapsed (fee not paid, or identity or clarification never given)",
}
MAX_PER_SEARCH = 5000
_PAGE = 500
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]{0,39}")


@dataclass(frozen=True)
class RequestStatus:
    """Where a request stands: the clock's reading (or why it cannot be read) and the review's progress."""

    request: InfoRequest
    state: str  # a ClockStatus value, or "closed"
    due: date | None
    reading: ClockReading | None
    problem: str | None = None  # the ClockError when the recorded events cannot be
    on_time: bool | None = None  # closed requests: answered by the due date?
    collected: int = 0
    pending: int = 0
    in_scope: int = 0
    out_of_scope: int = 0
    withheld: int = 0
    undecided: int = 0


@dataclass(frozen=True)
class CollectResult:
    new: tuple[int, ...]
    already: int
    by_search: dict[int, int]  # search position -> records it matched


def subject_searches(subject: DataSubject) -> list[SearchCriteria]:
    """Searches that find every record about a data subject: every name, address and phone form in any
    text (sender, recipients, subject, body, attachments), and each e-mail address as sender or recipient."""
    terms = [*subject.names, *subject.emails, *(form for p in subject.phones for form in phone_forms(p))]
    phrases = list(dict.fromkeys('"' + t.replace('"', " ").strip() + '"' for t in terms if re.search(r"\w", t)))
    found = [SearchCriteria(query=" OR ".join(phrases))] if phrases else []
    return found + [SearchCriteria(person=email) for email in subject.emails]


class Requests:
    """The register of information requests kept beside the archive, in the same database."""

    def __init__(self, archive: Archive):
        self.archive = archive
        self.store = RequestStore(archive.engine)

    # --- registering and the clock ---------------------------------------------------------------------

    def register(self, kind: RequestType | str, *, received: date, requester: Requester, wording: str,
                 actor: str, subject: DataSubject | None = None, reference: str | None = None,
                 nation: str = "england", searches: Iterable[SearchCriteria] = (),
                 today: date | None = None) -> InfoRequest:
        """Register a request. A subject access request is searched for (and held) at once by its data
        subject, who is the requester unless given; FOI and EIR are searched by ``searches`` (or later)."""
        actor, today = actor_of(actor), today or date.today()
        try:
            kind = RequestType(kind)
        except ValueError:
            raise RequestError(f"request type {kind!r} is not one of foi, eir, sar") from None
        if not isinstance(received, date) or isinstance(received, datetime) or received > today:
            raise RequestError(f"the date received ({received}) must be a date, not after today ({today})")
        if nation not in NATIONS:
            raise RequestError(f"nation {nation!r} is not one of {', '.join(NATIONS)}")
        name = required("the requester's name", requester.name)
        email = (requester.email or "").strip().lower() or None
        if email and not is_address(email):
            raise RequestError(f"the requester's e-mail {requester.email!r} is not an e-mail address")
        wording = required("the request's wording", wording)
        criteria = list(searches)
        if kind is RequestType.SAR:
            if subject is None or subject.empty:  # the requester asks about themself
                subject = DataSubject(names=(name,), emails=(email,) if email else ())
            criteria = subject_searches(subject) + criteria
        elif subject is not None and not subject.empty:
            raise RequestError("only a subject access request has a data subject; FOI and EIR requests are "
                               "searched by the Clerk's searches")
        for c in criteria:
            _check_criteria(c)
        with self.store.write() as s:
            ref = self._reference(s, kind, received, reference)
            row = RequestRow(reference=ref, kind=kind.value, received_on=received, requester_name=name,
                             requester_email=email, requester_address=(requester.address or "").strip() or None,
                             wording=wording, nation=nation, created_at=chain.now(), created_by=actor,
                             data_subject=None if kind is not RequestType.SAR else chain.canonical(subject.to_dict()))
            s.add(row)
            s.flush()
            self.store.log(s, row, actor, "registered", kind=kind.value, received=received.isoformat())
            for c in criteria:
                self._add_search(s, row, c, actor)
            s.flush()
            return to_request(row)

    def _reference(self, s, kind: RequestType, received: date, given: str | None) -> str:
        if given is not None:
            ref = " ".join(given.split())
            if not _REFERENCE.fullmatch(ref):
                raise RequestError(f"reference {given!r}: use up to 40 letters, digits, spaces and . _ / -, "
                                   "starting with a letter or digit")
            if s.scalar(select(RequestRow.id).where(RequestRow.reference == ref)) is not None:
                raise RequestError(f"reference {ref!r} is already used by another request")
            return ref
        prefix = f"{kind.value.upper()}-{received.year}-"
        n = s.scalar(select(func.count()).select_from(RequestRow).where(RequestRow.reference.like(prefix + "%")))
        while True:
            n += 1
            ref = f"{prefix}{n:03d}"
            if s.scalar(select(RequestRow.id).where(RequestRow.reference == ref)) is None:
                return ref

    def add_clock_event(self, reference: str, kind: str, *, on: date, actor: str, grounds: Iterable[str] = (),
                        reason: str | None = None, new_due: date | None = None,
                        today: date | None = None) -> RequestStatus:
        """Record a clock event (clarification, fee, identity, extension); refused if the clock cannot have it."""
        actor, today = actor_of(actor), today or date.today()
        if kind not in CLOCK_EVENTS:
            raise RequestError(f"clock event {kind!r} is not one of {', '.join(CLOCK_EVENTS)}")
        if not isinstance(on, date) or isinstance(on, datetime) or on > today:
            raise RequestError(f"the {kind} date ({on}) must be a date, not after today ({today})")
        grounds = tuple(dict.fromkeys(g.strip() for g in grounds if g.strip()))
        if CLOCK_EVENTS[kind] is not ExtensionNotice and (grounds or new_due):
            raise RequestError(f"only an extension has grounds and a new due date, not {kind}")
        with self.store.write() as s:
            row = self.store.load_open(s, reference, f"record a {kind}")
            event = RequestClockRow(request_id=row.id, kind=kind, on_date=on, grounds=",".join(grounds) or None,
                                    reason=(reason or "").strip() or None, new_due=new_due, recorded_at=chain.now(),
                                    recorded_by=actor)
            row.clock_events.append(event)
            s.flush()
            candidate = to_request(row)
            try:
                candidate.clock().evaluate(today)
            except ClockError as exc:
                raise RequestError(f"{row.reference}: {exc}") from None
            self.store.log(s, row, actor, "clock-event", event=kind, on=on.isoformat(), grounds=list(grounds),
                           reason=event.reason, new_due=new_due.isoformat() if new_due else None)
        return self.status(reference, today=today)

    # --- reading --------------------------------------------------------------------------------------

    def get(self, reference: str) -> InfoRequest:
        with self.store.read() as s:
            return to_request(self.store.load(s, reference))

    def status(self, reference: str, *, today: date | None = None) -> RequestStatus:
        with self.store.read() as s:
            row = self.store.load(s, reference)
            return self._statuses(s, [row], today or date.today())[0]

    def list_requests(self, *, today: date | None = None, include_closed: bool = False) -> list[RequestStatus]:
        """Requests by due date (soonest first; those with the clock stopped after them)."""
        with self.store.read() as s:
            stmt = select(RequestRow).order_by(RequestRow.received_on, RequestRow.id)
            if not include_closed:
                stmt = stmt.where(RequestRow.closed_at.is_(None))
            rows = list(s.scalars(stmt.options(selectinload(RequestRow.clock_events),
                                               selectinload(RequestRow.searches))))
            found = self._statuses(s, rows, today or date.today())
        return sorted(found, key=lambda st: (st.due is None, st.due or date.max, st.request.received))

    def _statuses(self, s, rows: list[RequestRow], today: date) -> list[RequestStatus]:
        ids = [r.id for r in rows]
        scopes: dict[int, dict[str, int]] = {}
        for rid, scope, withheld, n in s.execute(
                select(RequestRecordRow.request_id, RequestRecordRow.scope, RequestRecordRow.withheld.is_not(None),
                       func.count()).where(RequestRecordRow.request_id.in_(ids))
                .group_by(RequestRecordRow.request_id, RequestRecordRow.scope,
                          RequestRecordRow.withheld.is_not(None))):
            counts = scopes.setdefault(rid, {})
            counts[scope] = counts.get(scope, 0) + n
            if withheld:
                counts["withheld"] = counts.get("withheld", 0) + n
        undecided = dict(s.execute(select(RequestRedactionRow.request_id, func.count())
                                   .where(RequestRedactionRow.request_id.in_(ids),
                                          RequestRedactionRow.decision.is_(None))
                                   .group_by(RequestRedactionRow.request_id)).all())
        return [_status(to_request(r), today, scopes.get(r.id, {}), undecided.get(r.id, 0)) for r in rows]

    def records(self, reference: str, *, scope: str | None = None) -> list[CollectedRecord]:
        with self.store.read() as s:
            row = self.store.load(s, reference)
            stmt = select(RequestRecordRow).where(RequestRecordRow.request_id == row.id)
            if scope is not None:
                stmt = stmt.where(RequestRecordRow.scope == scope)
            return [to_collected(r) for r in s.scalars(stmt.order_by(RequestRecordRow.record_id))]

    def history(self, reference: str) -> list[RequestEvent]:
        with self.store.read() as s:
            row = self.store.load(s, reference)
            return [to_event(e) for e in s.scalars(select(RequestEventRow).where(RequestEventRow.request_id == row.id)
                                                    .order_by(RequestEventRow.id))]

    # --- searching, holding, collecting ----------------------------------------------------------------

    def add_search(self, reference: str, criteria: SearchCriteria, *, actor: str) -> RequestSearch:
        """Add a search for the request; it places a legal hold on everything it matches, now and later."""
        actor = actor_of(actor)
        _check_criteria(criteria)
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "add a search")
            added = self._add_search(s, row, criteria, actor)
            return RequestSearch(added.position, criteria, added.hold_name, added.added_at, added.added_by)

    def _add_search(self, s, row: RequestRow, criteria: SearchCriteria, actor: str) -> RequestSearchRow:
        position = len(row.searches) + 1
        name = row.reference if position == 1 else f"{row.reference} (search {position})"
        holds.place(s, name, reason=_hold_reason(row), actor=actor, criteria=criteria)
        added = RequestSearchRow(request_id=row.id, position=position, criteria=chain.canonical(criteria.to_dict()),
                                 hold_name=name, added_at=chain.now(), added_by=actor)
        row.searches.append(added)
        self.store.log(s, row, actor, "search-added", position=position, hold=name)
        return added

    def add_records(self, reference: str, record_ids: Iterable[int], *, actor: str) -> list[int]:
        """Add records by hand (not found by a search); they are held by id. Returns those newly added."""
        actor, ids = actor_of(actor), sorted(set(record_ids))
        if not ids:
            raise RequestError("give at least one record id to add")
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "add records")
            missing = sorted(set(ids) - set(s.scalars(select(RecordRow.id).where(RecordRow.id.in_(ids)))))
            if missing:
                raise RequestError(f"no record {', '.join(map(str, missing))} in the archive")
            have = set(s.scalars(select(RequestRecordRow.record_id).where(RequestRecordRow.request_id == row.id)))
            new = [i for i in ids if i not in have]
            if new:
                taken = {h.name for h in holds.list_holds(s, include_released=True)}
                n = 1
                while f"{row.reference} (records {n})" in taken:
                    n += 1
                name = f"{row.reference} (records {n})"
                holds.place(s, name, reason=_hold_reason(row), actor=actor, records=new)
                self._collect_rows(s, row, new, "by hand", actor)
                self.store.log(s, row, actor, "records-added", records=new, hold=name)
            return new

    def collect(self, reference: str, *, actor: str) -> CollectResult:
        """Run every search of the request and add the records found that were not collected before."""
        actor = actor_of(actor)
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "collect records")
            if not row.searches:
                raise RequestError(f"{row.reference} has no searches yet; add one first")
            have = set(s.scalars(select(RequestRecordRow.record_id).where(RequestRecordRow.request_id == row.id)))
            found: dict[int, str] = {}
            by_search: dict[int, int] = {}
            for srch in row.searches:
                ids = _all_matches(s, SearchCriteria.from_dict(json.loads(srch.criteria)), srch.position)
                by_search[srch.position] = len(ids)
                for i in ids:
                    found.setdefault(i, f"search {srch.position}")
            new = sorted(i for i in found if i not in have)
            for record_id in new:
                self._collect_rows(s, row, [record_id], found[record_id], actor)
            self.store.log(s, row, actor, "collected", new=new, already=len(found) - len(new), by_search=by_search)
            return CollectResult(tuple(new), len(found) - len(new), by_search)

    def _collect_rows(self, s, row: RequestRow, ids: list[int], found_by: str, actor: str) -> None:
        for record_id in ids:
            s.add(RequestRecordRow(request_id=row.id, record_id=record_id, found_by=found_by, found_at=chain.now(),
                                   scope="pending"))
            self.store.record_step(s, record_id, "request-collected", actor, request=row.reference, found_by=found_by)
        s.flush()

    # --- review ---------------------------------------------------------------------------------------

    def review(self, reference: str, record_ids: Iterable[int], *, scope: str, actor: str,
               note: str | None = None, withhold: str | None = None) -> list[CollectedRecord]:
        """Mark records in or out of scope, with a note; an in-scope record may be withheld whole, on a ground."""
        actor, ids = actor_of(actor), sorted(set(record_ids))
        if scope not in ("in", "out"):
            raise RequestError(f"scope {scope!r} is not 'in' or 'out'")
        note = (note or "").strip() or None
        withhold = (withhold or "").strip() or None
        if scope == "out" and not note:
            raise RequestError("say why the record is out of scope (a note)")
        if scope == "out" and withhold:
            raise RequestError("only an in-scope record is withheld; an out-of-scope one is simply not part of it")
        if not ids:
            raise RequestError("give at least one record id to review")
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "review records")
            out = []
            for record_id in ids:
                rec = self.store.collected(s, row.id, record_id)
                rec.scope, rec.note, rec.withheld = scope, note, withhold
                rec.reviewed_at, rec.reviewed_by = chain.now(), actor
                self.store.record_step(s, record_id, "request-reviewed", actor, request=row.reference, scope=scope,
                                       withheld=withhold)
                out.append(to_collected(rec))
            self.store.log(s, row, actor, "reviewed", records=ids, scope=scope, withheld=withhold, note=note)
            return out

    # --- closing and releasing -------------------------------------------------------------------------

    def close(self, reference: str, *, outcome: str, on: date, actor: str, note: str | None = None,
              review_until: date | None = None, today: date | None = None) -> RequestStatus:
        """Close the request: answered (or not) on ``on`` with ``outcome``; holds stay until released."""
        actor, today = actor_of(actor), today or date.today()
        if outcome not in OUTCOMES:
            raise RequestError(f"outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
        with self.store.write() as s:
            row = self.store.load_open(s, reference, "close it again")
            if not row.received_on <= on <= today:
                raise RequestError(f"the closing date {on} must be between the day received ({row.received_on}) "
                                   f"and today ({today})")
            if review_until is not None and review_until < on:
                raise RequestError(f"the review period cannot end ({review_until}) before the request closed ({on})")
            row.closed_on, row.closed_at, row.closed_by = on, chain.now(), actor
            row.outcome, row.outcome_note, row.review_until = outcome, (note or "").strip() or None, review_until
            self.store.log(s, row, actor, "closed", outcome=outcome, on=on.isoformat(),
                           review_until=review_until.isoformat() if review_until else None)
        return self.status(reference, today=today)

    def release_holds(self, reference: str, *, actor: str, reason: str, today: date | None = None) -> list[str]:
        """Release the request's legal holds: only once it is closed and its review period is over."""
        actor, today = actor_of(actor), today or date.today()
        reason = required("a reason for releasing the holds", reason)
        with self.store.write() as s:
            row = self.store.load(s, reference)
            if row.closed_at is None:
                raise RequestError(f"{row.reference} is still open: close it before releasing its holds")
            if row.review_until is not None and today <= row.review_until:
                raise RequestError(f"{row.reference}: the review period set runs to {row.review_until}; "
                                   "its holds can be released after that")
            names = [h.name for h in holds.list_holds(s) if _hold_of(h.name, row.reference)]
            if not names:
                raise RequestError(f"{row.reference} has no active legal holds")
            for name in names:
                holds.release(s, name, actor=actor, reason=f"{row.reference} closed: {reason}")
            row.holds_released_at = chain.now()
            self.store.log(s, row, actor, "holds-released", holds=names, reason=reason)
            return names


def _check_criteria(criteria: SearchCriteria) -> None:
    if criteria.is_empty:
        raise RequestError("a search needs words or filters (an empty one would take in the whole archive)")
    parse_query(criteria.query)


def _hold_reason(row: RequestRow) -> str:
    kind = RequestType(row.kind)
    return (f"{row.reference}: {KIND_LABELS[kind]} received {row.received_on:%d %B %Y}; every record it covers "
            f"is kept until it is answered and any review is over ({OFFENCE[kind]})")


def _hold_of(name: str, reference: str) -> bool:
    return name == reference or name.startswith(reference + " (")


def _all_matches(s, criteria: SearchCriteria, position: int) -> list[int]:
    ids: list[int] = []
    while True:
        page = search(s, criteria, limit=_PAGE, offset=len(ids))
        ids += [h.record_id for h in page.hits]
        if len(ids) > MAX_PER_SEARCH:
            raise RequestError(f"search {position} ({criteria.describe()}) matches over {MAX_PER_SEARCH} records; "
                               "narrow it (dates, people, words). A request this wide may exceed the cost limit "
                               "(FOIA s12, EIR reg 12(4)(b))")
        if not page.has_more:
            return ids


def _status(request: InfoRequest, today: date, counts: dict[str, int], undecided: int) -> RequestStatus:
    reading, problem, due, on_time = None, None, None, None
    try:
        clock = request.clock()
        due = clock.due_date()
        reading = clock.evaluate(request.closed_on if request.closed else max(today, request.received))
    except ClockError as exc:
        problem = str(exc)
    state = reading.status.value if reading else "clock-error"
    if request.closed:
        state = "closed"
        on_time = None if due is None else request.closed_on <= due
    return RequestStatus(request, state, due, reading, problem, on_time,
                         collected=sum(counts.get(k, 0) for k in ("pending", "in", "out")),
                         pending=counts.get("pending", 0), in_scope=counts.get("in", 0),
                         out_of_scope=counts.get("out", 0), withheld=counts.get("withheld", 0), undecided=undecided)
