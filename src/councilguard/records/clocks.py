"""When an FOI, EIR or subject-access request must be answered, and a plain account of why.

WHY: a parish Clerk answers a handful of requests a year and cannot be expected to remember that the
FOI count skips St Andrew's Day even in Kent, that a fees notice stops the count, or that a subject
access due date falls back to the month's last day. A late answer is a breach the ICO records. This
module turns a request's dated events into the legal due date, a status and sentences the Clerk can
read back. Pure computation over dates: the records store keeps the events, this only counts.

FOI / EIR (FOIA s10; EIR regs 5, 7, 8, 9), counted on the all-UK working-day calendar:

* Due on the 20th working day following the day of receipt (itself possibly a non-working day).
* Clarification (FOIA s1(3), s10(6)(b); EIR reg 9): no due date while it is awaited; when it
  arrives, the 20 working days start afresh from that day.
* Fees (FOIA s9, s10(2); EIR reg 8): the working days from the day the notice is given to the day the
  fee is received, both included, do not count. FOI lapses when the fee is not paid within the three
  months *beginning with* the day of the notice (s9(2)): the last day is the day before the
  corresponding date three months on, or that month's last day when it has none (notice 31 January:
  30 April). EIR has its own limit: 60 working days after the notification (reg 8).
* Extensions, notified on or before the 20-working-day due date: FOI only for the public interest
  test (s10(3)), to the date the Council gave, warning past 20 further working days (the ICO's
  limit); EIR only to 40 working days and only for a request both complex and voluminous (reg 7(1)).

Subject access (UK GDPR Arts 12(3), 12A, 15), in calendar months on the council's own nation:

* One month from the latest of receipt, arrival of requested proof of identity and arrival of a fee,
  to the corresponding date of the next month (or its last day); three months when extended for
  complexity or the number of requests by a notice with reasons given within the first month (by its
  corresponding date plus any pause, not moved off a weekend: the stricter reading).
* A justified request for clarification stops the clock (Data (Use and Access) Act 2025). The words
  it put in DPA 2018 s54(3C) are "the period beginning with the day on which the controller makes the
  request and ending with the day on which the controller receives the information does not count";
  the ICO says "paused from the day you ask until the day you receive the response". Both include
  both days, so the date moves by (answer day - asking day) + 1 calendar days: asked Monday 10th,
  answered Wednesday 12th moves it 3 days. Paused days before the clock started are not counted.
* The pause is added to the corresponding date; the result, when a weekend or a holiday of the
  council's own nation, moves to the next working day there (ICO right-of-access guidance).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from councilguard.errors import CouncilguardError
from councilguard.records.working_days import NATION_NAMES, NATIONS, UK, UKCalendar, default_calendar

__all__ = [
    "ClarificationReceived",
    "ClarificationRequested",
    "ClockError",
    "ClockReading",
    "ClockStatus",
    "ExtensionGround",
    "ExtensionNotice",
    "FeeNoticeGiven",
    "FeeReceived",
    "IdentityReceived",
    "IdentityRequested",
    "RequestClock",
    "RequestType",
    "add_months",
]


class ClockError(CouncilguardError, ValueError):
    """Events that cannot be: a fee before its notice, a date before receipt or after today, a late or
    unlawful extension. The message names the event and its date."""


class RequestType(str, Enum):
    FOI = "foi"
    EIR = "eir"
    SAR = "sar"


class ClockStatus(str, Enum):
    OPEN = "open"
    AWAITING_CLARIFICATION = "paused-awaiting-clarification"
    AWAITING_FEE = "awaiting-fee"
    AWAITING_IDENTITY = "awaiting-identity"
    LAPSED = "lapsed"
    DUE_TODAY = "due-today"
    OVERDUE = "overdue"


class ExtensionGround(str, Enum):
    PUBLIC_INTEREST = "public-interest"  # FOIA s10(3)
    COMPLEX = "complex"  # EIR reg 7(1) (with voluminous); UK GDPR Art 12A
    VOLUMINOUS = "voluminous"  # EIR reg 7(1) (with complex)
    NUMBER_OF_REQUESTS = "number-of-requests"  # UK GDPR Art 12A


@dataclass(frozen=True)
class _Dated:
    on: date
    label = "event"


class ClarificationRequested(_Dated):
    label = "request for clarification"


class ClarificationReceived(_Dated):
    label = "clarification received"


class FeeNoticeGiven(_Dated):
    label = "fees notice"


class FeeReceived(_Dated):
    label = "fee received"


class IdentityRequested(_Dated):
    label = "request for proof of identity"


class IdentityReceived(_Dated):
    label = "proof of identity received"


@dataclass(frozen=True)
class ExtensionNotice:
    """A notice extending the time: its grounds and the reason told to the requester.

    ``new_due`` is required for FOI (the date the Council estimated, FOIA s17(2)); for EIR and subject
    access the law fixes the new date, so it may be left out (when given, it must be that date)."""

    on: date
    grounds: frozenset[ExtensionGround]
    reason: str
    new_due: date | None = None
    label = "extension notice"

    def __post_init__(self) -> None:
        raw = [self.grounds] if isinstance(self.grounds, str) else list(self.grounds)
        try:
            grounds = frozenset(ExtensionGround(g) for g in raw)
        except ValueError as exc:
            allowed = ", ".join(g.value for g in ExtensionGround)
            raise ClockError(f"extension notice of {self.on}: {exc}; grounds are {allowed}") from None
        object.__setattr__(self, "grounds", grounds)


Event = (
    ClarificationRequested
    | ClarificationReceived
    | FeeNoticeGiven
    | FeeReceived
    | IdentityRequested
    | IdentityReceived
    | ExtensionNotice
)


@dataclass(frozen=True)
class ClockReading:
    """Where a request stands on ``today``: status, due date, lateness and the reasoning in sentences."""

    status: ClockStatus
    due: date | None
    today: date
    days_late: int = 0
    working_days_late: int = 0
    working_days_left: int | None = None
    explanation: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def add_months(day: date, months: int) -> date:
    """The corresponding date ``months`` later, or that month's last day when it has none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def _last_day_of_three_months(notice: date) -> date:
    """Last day of "the period of three months beginning with" ``notice`` (FOIA s9(2))."""
    corresponding = add_months(notice, 3)
    return corresponding if corresponding.day != notice.day else corresponding - timedelta(days=1)


def _overlap(first: date, last: date, start: date) -> int:
    """Days of the inclusive pause [first, last] on or after the clock's start."""
    first = max(first, start)
    return (last - first).days + 1 if last >= first else 0


def _d(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")  # a datetime would lose its time


_NAMES = {
    RequestType.FOI: "Freedom of Information request",
    RequestType.EIR: "Environmental Information Regulations request",
    RequestType.SAR: "Subject access request",
}
# law, the 20-day provision, the fee-pause provision
_CITES = {RequestType.FOI: ("FOIA", "s10(1)", "s10(2)"), RequestType.EIR: ("EIR", "reg 5(2)", "reg 8")}


@dataclass
class _Run:
    """State while the events are replayed in date order."""

    start: date  # FOI/EIR: the day the 20 working days count from
    starts: list[date]  # SAR: receipt, identity and fee arrival days; the clock starts at the latest
    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pauses: list[tuple[date, date]] = field(default_factory=list)  # inclusive (first, last) days
    waiting: dict[str, date] = field(default_factory=dict)  # "clarification"/"fee"/"identity" -> since
    fee_deadline: date | None = None  # FOI/EIR: last day to pay an outstanding fee
    lapsed: bool = False
    extension: ExtensionNotice | None = None
    fixed_due: date | None = None  # FOI: the date in a public-interest extension notice
    limit: int = 20  # FOI/EIR working days; 40 after an EIR extension
    months: int = 1  # SAR; 3 after an extension
    late_clarification: bool = False  # SAR: asked for after the clock had run out


class RequestClock:
    """The legal clock of one information request.

    ``kind`` is foi, eir or sar. ``events`` may come in any order: they are replayed by date, keeping
    the given order for events of the same day. ``nation`` is the council's own nation, used by subject
    access only (FOI and EIR always count on the all-UK calendar). Impossible events raise ClockError.
    """

    def __init__(
        self,
        kind: RequestType | str,
        received: date,
        events: Iterable[Event] = (),
        *,
        nation: str = "england",
        calendar: UKCalendar | None = None,
    ) -> None:
        try:
            self.kind = RequestType(kind)
        except ValueError:
            raise ClockError(f"request type {kind!r} is not one of foi, eir, sar") from None
        if nation not in NATIONS:
            raise ClockError(f"nation {nation!r} is not one of {', '.join(NATIONS)}")
        if not _is_date(received):
            raise ClockError(f"the day of receipt must be a date, got {received!r}")
        self.received, self.nation = received, nation
        self.calendar = calendar or default_calendar()
        self.scope = nation if self.kind is RequestType.SAR else UK
        listed = list(events)
        for i, event in enumerate(listed, start=1):
            if not isinstance(event, Event):
                raise ClockError(f"event {i} ({event!r}) is not a clock event")
            if not _is_date(event.on):
                raise ClockError(f"event {i} ({event.label}) needs a date, got {event.on!r}")
            if event.on < received:
                raise ClockError(f"{event.label} dated {_d(event.on)} is before the request was received "
                                 f"({_d(received)})")
        self.events: tuple[Event, ...] = tuple(sorted(listed, key=lambda e: e.on))
        self._run = _Run(start=received, starts=[received])
        if self.kind is RequestType.SAR:
            self._replay_sar()
        else:
            self._replay_working_days()

    # -- public API ---------------------------------------------------------------------------
    def due_date(self, today: date | None = None) -> date | None:
        """The legal due date; None while the clock is stopped (clarification, fee, identity) or lapsed."""
        if today is not None:
            self._check_today(today)
        return self._due()

    def status(self, today: date) -> ClockStatus:
        return self.evaluate(today).status

    def evaluate(self, today: date) -> ClockReading:
        """Status, due date, lateness and the explanation on ``today``."""
        self._check_today(today)
        run, due = self._run, self._due()
        lines = list(run.lines)
        status, late, wd_late, wd_left = ClockStatus.OPEN, 0, 0, None
        if run.lapsed:
            status = ClockStatus.LAPSED
        elif "fee" in run.waiting and run.fee_deadline and today > run.fee_deadline:
            status = ClockStatus.LAPSED
            lines.append(f"No fee was received by {_d(run.fee_deadline)}: the request has lapsed.")
        elif "fee" in run.waiting:
            status = ClockStatus.AWAITING_FEE
            if run.fee_deadline:
                lines.append(f"Awaiting the fee; if unpaid by {_d(run.fee_deadline)} the request lapses.")
        elif "identity" in run.waiting:
            status = ClockStatus.AWAITING_IDENTITY
        elif "clarification" in run.waiting:
            status = ClockStatus.AWAITING_CLARIFICATION
            if self.kind is RequestType.SAR:
                hint = self._sar_due(extra_pause=(run.waiting["clarification"], today))
                lines.append(f"If the answer arrives today, the due date becomes {_d(hint)}.")
        elif due is not None and today == due:
            status = ClockStatus.DUE_TODAY
            lines.append("The answer is due today.")
        elif due is not None and today > due:
            status, late = ClockStatus.OVERDUE, (today - due).days
            wd_late = self.calendar.working_days_between(due, today, self.scope)
            lines.append(f"Overdue: {late} day(s) late, {wd_late} working day(s).")
        elif due is not None:
            wd_left = self.calendar.working_days_between(today, due, self.scope)
            lines.append(f"{wd_left} working day(s) left.")
        return ClockReading(status, due, today, late, wd_late, wd_left, tuple(lines), tuple(run.warnings))

    @property
    def explanation(self) -> tuple[str, ...]:
        return tuple(self._run.lines)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(self._run.warnings)

    # -- shared helpers -------------------------------------------------------------------------
    def _check_today(self, today: date) -> None:
        if not _is_date(today):
            raise ClockError(f"today must be a date, got {today!r}")
        if self.received > today:
            raise ClockError(f"the request is dated {_d(self.received)}, after today ({_d(today)})")
        for event in self.events:
            if event.on > today:
                raise ClockError(f"{event.label} dated {_d(event.on)} is in the future (today is {_d(today)})")

    def _due(self) -> date | None:
        if self._run.waiting or self._run.lapsed:
            return None
        return self._sar_due() if self.kind is RequestType.SAR else self._count(self._run.limit)

    def _fail(self, event: Event, problem: str) -> ClockError:
        return ClockError(f"{event.label} of {_d(event.on)}: {problem}")

    def _open(self, event: Event, what: str) -> None:
        if what in self._run.waiting:
            raise self._fail(event, f"a {what} is already awaited since {_d(self._run.waiting[what])}")
        self._run.waiting[what] = event.on

    def _close(self, event: Event, what: str) -> date:
        since = self._run.waiting.pop(what, None)
        if since is None:
            raise self._fail(event, f"no {what} was asked for before it")
        return since

    def _check_notice(self, event: ExtensionNotice) -> None:
        if not event.reason.strip():
            raise self._fail(event, "the notice must give the reason for the extension")
        if self._run.waiting:
            what, since = next(iter(self._run.waiting.items()))
            raise self._fail(event, f"the clock is stopped awaiting the {what} since {_d(since)}; "
                                    "an extension can only be given while it runs")

    # -- FOI and EIR: working days on the all-UK calendar -------------------------------------
    def _count(self, n: int) -> date:
        """The n-th working day after the start, skipping fee pauses (or the FOI extended date)."""
        run = self._run
        if run.fixed_due is not None:
            return run.fixed_due
        day = run.start
        while n:
            day += timedelta(days=1)
            if self.calendar.is_working_day(day) and not any(a <= day <= b for a, b in run.pauses):
                n -= 1
        return day

    def _replay_working_days(self) -> None:
        run = self._run
        law, twenty, _ = _CITES[self.kind]
        run.lines.append(
            f"{_NAMES[self.kind]} received {_d(self.received)}: due on the 20th working day after the day "
            f"of receipt ({law} {twenty}), {_d(self._count(20))}. Weekends, Christmas Day, Good Friday and "
            "bank holidays in any part of the UK are not working days (FOIA s10(6))."
        )
        for event in self.events:
            self._working_day_event(event)
        due = self._due()
        if due is not None:
            holidays = self.calendar.holidays_between(run.start, due)
            skipped = [f"{_d(d)}, {self.calendar.holiday_name(d)}" for d in holidays]
            if skipped:
                run.lines.append("Holidays not counted: " + "; ".join(skipped) + ".")
            run.lines.append(f"Due date: {_d(due)}.")

    def _working_day_event(self, event: Event) -> None:
        run = self._run
        law, _, pause_cite = _CITES[self.kind]
        if isinstance(event, (IdentityRequested, IdentityReceived)):
            raise self._fail(event, "proof of identity belongs to subject access requests, not FOI or EIR")
        if run.extension and (
            isinstance(event, ClarificationRequested)
            or (isinstance(event, FeeNoticeGiven) and self.kind is RequestType.FOI)
        ):
            raise self._fail(event, f"it comes after the extension notice of {_d(run.extension.on)}; "
                                    "record it before the extension")
        if isinstance(event, (ClarificationRequested, FeeNoticeGiven)):
            due = self._due()
            if due is not None and event.on > due:
                run.warnings.append(f"The {event.label} of {_d(event.on)} came after the due date {_d(due)}.")
        if isinstance(event, ClarificationRequested):
            self._open(event, "clarification")
            run.lines.append(f"Clarification asked for on {_d(event.on)}: no due date until it arrives.")
        elif isinstance(event, ClarificationReceived):
            self._close(event, "clarification")
            run.start = event.on
            due = self._due()
            run.lines.append(
                f"Clarification received {_d(event.on)}: the 20 working days start afresh from that day "
                "(FOIA s1(3), s10(6); EIR reg 9)" + (f", so the due date becomes {_d(due)}." if due else ".")
            )
        elif isinstance(event, FeeNoticeGiven):
            self._open(event, "fee")
            if self.kind is RequestType.FOI:
                run.fee_deadline = _last_day_of_three_months(event.on)
                rule = "three months beginning with the day of the notice (FOIA s9(2))"
            else:
                run.fee_deadline = self.calendar.add_working_days(event.on, 60)
                rule = "60 working days after the notification (EIR reg 8)"
            run.lines.append(f"Fees notice given {_d(event.on)}: the clock stops until the fee arrives, "
                             f"which must be within {rule}, by {_d(run.fee_deadline)}.")
        elif isinstance(event, FeeReceived):
            notice = self._close(event, "fee")
            if run.fee_deadline and event.on > run.fee_deadline:
                run.lapsed = True
                run.lines.append(f"Fee received {_d(event.on)}, after the last day {_d(run.fee_deadline)}: "
                                 "the request lapsed and no answer is owed.")
            else:
                run.pauses.append((notice, event.on))
                paused = self.calendar.working_days_between(notice - timedelta(days=1), event.on)
                run.lines.append(f"Fee received {_d(event.on)}: the {paused} working day(s) from the notice to "
                                 f"the fee, both included, do not count ({law} {pause_cite}).")
            run.fee_deadline = None
        elif isinstance(event, ExtensionNotice):
            self._check_notice(event)
            if self.kind is RequestType.FOI:
                self._foi_extension(event)
            else:
                self._eir_extension(event)

    def _foi_extension(self, event: ExtensionNotice) -> None:
        run = self._run
        if event.grounds != {ExtensionGround.PUBLIC_INTEREST}:
            raise self._fail(event, "FOI allows more time only to consider the public interest (FOIA s10(3)); "
                                    "it has no extension for complexity or volume")
        current = self._count(20)  # the extended date when revising an earlier extension
        saved, run.fixed_due = run.fixed_due, None
        original = self._count(20)
        run.fixed_due = saved
        if event.on > current:
            raise self._fail(event, f"too late: the requester must be told by the due date, {_d(current)}")
        if not _is_date(event.new_due):
            raise self._fail(event, "an FOI extension must give the new date told to the requester")
        if event.new_due <= current:
            raise self._fail(event, f"the new date {_d(event.new_due)} is not after the due date {_d(current)}")
        run.extension, run.fixed_due = event, event.new_due
        run.lines.append(f"Public-interest extension notified {_d(event.on)} ({event.reason.strip()}): "
                         f"new due date {_d(event.new_due)} (FOIA s10(3), s17(2)).")
        limit = self.calendar.add_working_days(original, 20)
        if event.new_due > limit:
            run.warnings.append(
                f"The extended date {_d(event.new_due)} is more than 20 working days after the original due "
                f"date {_d(original)}; the ICO expects no later than {_d(limit)}."
            )

    def _eir_extension(self, event: ExtensionNotice) -> None:
        run = self._run
        if ExtensionGround.PUBLIC_INTEREST in event.grounds:
            raise self._fail(event, "EIR has no public-interest extension (that is FOIA s10(3))")
        if not {ExtensionGround.COMPLEX, ExtensionGround.VOLUMINOUS} <= event.grounds:
            raise self._fail(event, "EIR reg 7(1) allows 40 working days only for a request both complex "
                                    "and voluminous")
        if run.extension is not None:
            raise self._fail(event, f"already extended to 40 working days on {_d(run.extension.on)}")
        original = self._count(20)
        if event.on > original:
            raise self._fail(event, f"too late: the requester must be told by the due date, {_d(original)}")
        extended = self._count(40)
        if event.new_due is not None and event.new_due != extended:
            raise self._fail(event, f"the EIR extended date is the 40th working day, {_d(extended)}")
        run.extension, run.limit = event, 40
        run.lines.append(f"Extension notified {_d(event.on)} ({event.reason.strip()}): complex and voluminous, "
                         f"so due on the 40th working day instead of the 20th (EIR reg 7(1)), {_d(extended)}.")

    # -- subject access: calendar months, the nation's own holidays ---------------------------
    def _sar_target(self, months: int, extra_pause: tuple[date, date] | None = None) -> date:
        """Corresponding date ``months`` after the start, plus paused days; not yet moved off holidays."""
        run = self._run
        start = max(run.starts)
        pauses = run.pauses + ([extra_pause] if extra_pause else [])
        return add_months(start, months) + timedelta(days=sum(_overlap(a, b, start) for a, b in pauses))

    def _sar_due(self, extra_pause: tuple[date, date] | None = None) -> date:
        return self.calendar.next_working_day(self._sar_target(self._run.months, extra_pause), self.scope)

    def _replay_sar(self) -> None:
        run = self._run
        run.lines.append(f"{_NAMES[self.kind]} received {_d(self.received)}.")
        for event in self.events:
            self._sar_event(event)
        if run.waiting:
            return
        start = max(run.starts)
        why = "the day of receipt" if start == self.received else "the latest of receipt, identity and fee"
        plain = add_months(start, run.months)
        run.lines.append(f"The clock starts {_d(start)} ({why}; UK GDPR Art 12(3), Art 12A). {run.months} "
                         f"month(s) on, to the corresponding date or that month's last day: {_d(plain)}.")
        target = self._sar_target(run.months)
        if target != plain:
            paused = (target - plain).days
            run.lines.append(f"Clarification paused the clock for {paused} day(s): {_d(target)}.")
        due = self.calendar.next_working_day(target, self.scope)
        if due != target:
            what = self.calendar.holiday_name(target, self.scope) or "a weekend"
            run.lines.append(f"{_d(target)} is not a working day in {NATION_NAMES[self.nation]} ({what}), "
                             "so the answer is due on the next working day there.")
        run.lines.append(f"Due date: {_d(due)}.")

    def _sar_event(self, event: Event) -> None:
        run = self._run
        if isinstance(event, (IdentityRequested, FeeNoticeGiven)) and not run.waiting:
            if event.on > (due := self._sar_due()):
                run.warnings.append(f"The {event.label} of {_d(event.on)} came after the due date {_d(due)}; "
                                    "identity and fees should be asked for promptly.")
        if isinstance(event, IdentityRequested):
            self._open(event, "identity")
            run.lines.append(f"Proof of identity asked for on {_d(event.on)}: the clock waits for it.")
        elif isinstance(event, FeeNoticeGiven):
            self._open(event, "fee")
            run.lines.append(f"Fee asked for on {_d(event.on)}: the clock waits for it (UK GDPR Art 12(5)).")
        elif isinstance(event, (IdentityReceived, FeeReceived)):
            self._close(event, "identity" if isinstance(event, IdentityReceived) else "fee")
            run.starts.append(event.on)
            run.lines.append(f"{event.label.capitalize()} {_d(event.on)}.")
        elif isinstance(event, ClarificationRequested):
            if not run.waiting and event.on > self._sar_due():
                run.warnings.append(f"Clarification was asked for on {_d(event.on)}, after the due date "
                                    f"{_d(self._sar_due())}: it cannot stop a clock that has run out.")
                run.late_clarification = True
                return
            self._open(event, "clarification")
            run.lines.append(f"Clarification asked for on {_d(event.on)}: the clock is paused.")
        elif isinstance(event, ClarificationReceived):
            if run.late_clarification:
                run.late_clarification = False
                run.lines.append(f"Clarification received {_d(event.on)}, after the clock had run out.")
                return
            since = self._close(event, "clarification")
            run.pauses.append((since, event.on))
            run.lines.append(f"Clarification received {_d(event.on)}: the days from {_d(since)} to "
                             f"{_d(event.on)}, both included, do not count.")
        elif isinstance(event, ExtensionNotice):
            self._sar_extension(event)

    def _sar_extension(self, event: ExtensionNotice) -> None:
        run = self._run
        self._check_notice(event)
        allowed = {ExtensionGround.COMPLEX, ExtensionGround.NUMBER_OF_REQUESTS}
        if not event.grounds or not event.grounds <= allowed:
            raise self._fail(event, "subject access may be extended only for complexity or the number of "
                                    "requests (UK GDPR Art 12A)")
        if run.extension is not None:
            raise self._fail(event, f"already extended by two months on {_d(run.extension.on)}")
        last_notice_day = self._sar_target(1)
        if event.on > last_notice_day:
            raise self._fail(event, f"too late: the notice must be given within the first month, by "
                                    f"{_d(last_notice_day)}")
        run.months, run.extension = 3, event
        extended = self._sar_due()
        if event.new_due is not None and event.new_due != extended:
            raise self._fail(event, f"the extended due date is three months from the start: {_d(extended)}")
        run.lines.append(f"Extended by two months, notified {_d(event.on)}: {event.reason.strip()}.")
