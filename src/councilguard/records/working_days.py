"""Working days in the United Kingdom, as the information-request time limits count them.

WHY this exists: every FOI, EIR and subject-access deadline depends on which days are "working days",
and the two laws count differently:

* FOI and EIR (FOIA s10(6); EIR reg 2(1) borrows it) use ONE calendar for every authority: a working
  day is any day other than a Saturday, a Sunday, Christmas Day, Good Friday or a day that is a bank
  holiday under the Banking and Financial Dealings Act 1971 *in any part of the United Kingdom*. An
  English parish council therefore does not count St Andrew's Day or 12 July either. That is
  ``scope="uk"``.
* A subject-access deadline that lands on a weekend or public holiday moves to the next working day
  of the council's own nation (ICO right-of-access guidance). That is ``scope="england"``,
  ``"wales"``, ``"scotland"`` or ``"northern-ireland"``.

Bank holidays come from the ``holidays`` package (pinned 0.109), one ``UnitedKingdom(subdiv=...)``
calendar per nation. Audited against the GOV.UK bank-holiday lists for 2022-2026 (the test suite
holds the hand-made lists): it has the substitute days (Scotland's 3 and 4 January 2022, St Andrew's
Day moved to 2 December 2024 and 1 December 2025, the Boyne moved to 14 July 2025 and 13 July 2026,
St Patrick's moved to 18 March 2024, the 27/28 December substitutes), Scotland's first Monday of
August and its 2 January, no Easter Monday for Scotland (correct: it is not a Scottish bank holiday),
and the proclaimed one-off days: 3 June 2022 (Platinum Jubilee), 19 September 2022 (State Funeral),
8 May 2023 (Coronation) and 15 June 2026 in Scotland only (World Cup; Royal Proclamation of
3 February 2026 under s1(3) of the 1971 Act). Nothing was missing for those years, so nothing is
patched in. What any pinned release cannot know is a day proclaimed after it was published: pass such
days as ``extra`` (``UKCalendar(extra={"scotland": {date(...): "name"}})``) until the pin moves.

Christmas Day and Good Friday are added here explicitly, whatever the package says, because FOIA
s10(6) names them outright: in England and Wales they are common-law holidays, not 1971 Act bank
holidays, so a future change in how the package labels them must not change a deadline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib

from councilguard.errors import CouncilguardError

UK = "uk"
NATIONS: dict[str, str] = {
    "england": "ENG",
    "wales": "WLS",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
SCOPES: tuple[str, ...] = (UK, *NATIONS)
NATION_NAMES = {
    "england": "England",
    "wales": "Wales",
    "scotland": "Scotland",
    "northern-ireland": "Northern Ireland",
}

__all__ = [
    "NATIONS",
    "NATION_NAMES",
    "SCOPES",
    "UK",
    "CalendarError",
    "UKCalendar",
    "add_working_days",
    "default_calendar",
    "easter_sunday",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]


class CalendarError(CouncilguardError, ValueError):
    """A calendar asked for something it cannot answer: an unknown nation, a negative count, a bad date."""


def easter_sunday(year: int) -> date:
    """Easter Sunday of the Gregorian calendar (the anonymous Gregorian / Meeus algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _check_scope(scope: str) -> str:
    if scope not in SCOPES:
        raise CalendarError(f"unknown calendar {scope!r}; expected one of: {', '.join(SCOPES)}")
    return scope


def _check_date(value: object, what: str) -> date:
    # datetime is a subclass of date; a time of day would be silently dropped, so refuse it.
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise CalendarError(f"{what} must be a date (not a date-time or text), got {value!r}")
    return value


class UKCalendar:
    """Bank holidays per nation and their union, cached per year.

    ``extra`` adds days per scope: a day given for a nation is a holiday there *and* in ``"uk"``
    (it is a bank holiday in a part of the UK); a day given for ``"uk"`` counts in every scope.
    """

    def __init__(self, extra: Mapping[str, Mapping[date, str]] | None = None) -> None:
        self._extra: dict[str, dict[date, str]] = {}
        for scope, days in (extra or {}).items():
            _check_scope(scope)
            self._extra[scope] = {_check_date(d, f"extra[{scope!r}] day"): name for d, name in days.items()}
        self._cache: dict[tuple[int, str], dict[date, str]] = {}

    # -- the holiday tables -------------------------------------------------------------------
    def holidays(self, year: int, scope: str = UK) -> Mapping[date, str]:
        """Every holiday of ``year`` in ``scope`` (weekend ones included), mapped to its name(s)."""
        _check_scope(scope)
        key = (year, scope)
        table = self._cache.get(key)
        if table is None:
            table = self._build(year, scope)
            self._cache[key] = table
        return table

    def _build(self, year: int, scope: str) -> dict[date, str]:
        if scope != UK:
            return self._nation(year, scope)
        # day -> holiday name -> the nations that keep it; rendered "Easter Monday in England, Wales and ...".
        where: dict[date, dict[str, list[str]]] = {}
        for nation in NATIONS:
            for day, names in self._nation(year, nation).items():
                for name in names.split("; "):
                    where.setdefault(day, {}).setdefault(name, []).append(nation)
        return {day: "; ".join(_label(n, nations) for n, nations in names.items()) for day, names in where.items()}

    def _nation(self, year: int, nation: str) -> dict[date, str]:
        table = dict(_package_holidays(year, NATIONS[nation]))
        # FOIA s10(6) names these two outright; see the module docstring.
        table[date(year, 12, 25)] = "Christmas Day"
        table[easter_sunday(year) - timedelta(days=2)] = "Good Friday"
        for scope in (UK, nation):
            for day, name in self._extra.get(scope, {}).items():
                if day.year == year:
                    table[day] = name
        return table

    # -- questions about days -----------------------------------------------------------------
    def is_working_day(self, day: date, scope: str = UK) -> bool:
        """False on Saturdays, Sundays and the scope's holidays."""
        _check_date(day, "day")
        return day.weekday() < 5 and day not in self.holidays(day.year, scope)

    def holiday_name(self, day: date, scope: str = UK) -> str | None:
        """The holiday's name on ``day`` in ``scope``, or None."""
        return self.holidays(day.year, scope).get(day)

    def next_working_day(self, day: date, scope: str = UK) -> date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day, scope):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, n: int, scope: str = UK) -> date:
        """The ``n``-th working day *following* ``start`` (``start`` itself never counts; n >= 1).

        This is FOIA s10(1)'s "twentieth working day following the date of receipt": receipt on a
        Saturday or a bank holiday is fine, counting begins the day after.
        """
        _check_date(start, "start")
        if n < 1:
            raise CalendarError(f"the number of working days to add must be 1 or more, got {n}")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day, scope):
                n -= 1
        return day

    def working_days_between(self, start: date, end: date, scope: str = UK) -> int:
        """How many working days fall after ``start`` up to and including ``end`` (0 if end <= start).

        ``working_days_between(d, add_working_days(d, n)) == n`` for every d and n.
        """
        _check_date(start, "start")
        _check_date(end, "end")
        count = 0
        day = start + timedelta(days=1)
        while day <= end:
            if self.is_working_day(day, scope):
                count += 1
            day += timedelta(days=1)
        return count

    def non_working_weekdays(self, year: int, scope: str = UK) -> list[date]:
        """Monday-to-Friday days of ``year`` that are not working days, in order."""
        return sorted(d for d in self.holidays(year, scope) if d.weekday() < 5)

    def holidays_between(self, start: date, end: date, scope: str = UK) -> list[date]:
        """Monday-to-Friday holidays after ``start`` up to and including ``end``, in order."""
        years = range(start.year, end.year + 1)
        return [d for y in years for d in self.non_working_weekdays(y, scope) if start < d <= end]


def _label(name: str, nations: list[str]) -> str:
    if len(nations) == len(NATIONS):
        return name
    places = [NATION_NAMES[n] for n in nations]
    where = places[0] if len(places) == 1 else f"{', '.join(places[:-1])} and {places[-1]}"
    return f"{name} in {where}"


@lru_cache(maxsize=512)
def _package_holidays(year: int, subdiv: str) -> tuple[tuple[date, str], ...]:
    table = holidays_lib.UnitedKingdom(subdiv=subdiv, years=year, language="en_GB")
    # GOV.UK calls a weekend holiday's replacement a "substitute day"; the package says "observed".
    return tuple(sorted((d, name.replace("(observed)", "(substitute day)")) for d, name in table.items()))


_DEFAULT = UKCalendar()


def default_calendar() -> UKCalendar:
    """The shared calendar with no extra days."""
    return _DEFAULT


def is_working_day(day: date, *, scope: str = UK) -> bool:
    """Is ``day`` a working day? ``scope="uk"`` is the FOI/EIR calendar; a nation gives its own."""
    return _DEFAULT.is_working_day(day, scope)


def next_working_day(day: date, *, scope: str = UK) -> date:
    """``day`` if it is a working day, else the next one."""
    return _DEFAULT.next_working_day(day, scope)


def add_working_days(start: date, n: int, *, scope: str = UK) -> date:
    """The ``n``-th working day following ``start``."""
    return _DEFAULT.add_working_days(start, n, scope)


def working_days_between(start: date, end: date, *, scope: str = UK) -> int:
    """Working days after ``start`` up to and including ``end``."""
    return _DEFAULT.working_days_between(start, end, scope)
