"""The working-day calendars, checked against hand-made lists from the GOV.UK bank-holiday pages.

Every list below was written out by hand from the published GOV.UK lists for England and Wales,
Scotland and Northern Ireland (2022-2026), NOT generated from the ``holidays`` package, so a package
upgrade that drops or moves a day fails here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilguard.errors import CouncilguardError
from councilguard.records.working_days import (
    CalendarError,
    UKCalendar,
    add_working_days,
    default_calendar,
    easter_sunday,
    is_working_day,
    next_working_day,
    working_days_between,
)

D = date

# Monday-to-Friday days that are NOT working days for FOI/EIR (FOIA s10(6)): the union of every
# nation's bank holidays, plus Christmas Day and Good Friday. Weekend holidays are left out (a weekend
# is never a working day anyway); their substitute weekdays are in.
ALL_UK_NON_WORKING_WEEKDAYS = {
    2022: [
        D(2022, 1, 3),  # New Year's Day substitute (1 Jan was a Saturday) - all nations
        D(2022, 1, 4),  # Scotland: 2 January substitute (2 Jan was a Sunday, 3 Jan already taken)
        D(2022, 3, 17),  # NI: St Patrick's Day (Thursday)
        D(2022, 4, 15),  # Good Friday
        D(2022, 4, 18),  # Easter Monday - E&W, NI (not Scotland)
        D(2022, 5, 2),  # Early May bank holiday
        D(2022, 6, 2),  # Spring bank holiday, moved from the last Monday of May for the Jubilee
        D(2022, 6, 3),  # Platinum Jubilee (one-off, all nations)
        D(2022, 7, 12),  # NI: Battle of the Boyne (Tuesday)
        D(2022, 8, 1),  # Scotland: summer bank holiday, first Monday of August
        D(2022, 8, 29),  # E&W, NI: summer bank holiday, last Monday of August
        D(2022, 9, 19),  # Queen's state funeral (one-off, all nations)
        D(2022, 11, 30),  # Scotland: St Andrew's Day (Wednesday)
        D(2022, 12, 26),  # Boxing Day (Monday)
        D(2022, 12, 27),  # Christmas Day substitute (25 Dec was a Sunday)
    ],
    2023: [
        D(2023, 1, 2),  # New Year's Day substitute (1 Jan a Sunday)
        D(2023, 1, 3),  # Scotland: 2 January substitute (2 Jan taken by the New Year substitute)
        D(2023, 3, 17),  # NI: St Patrick's Day (Friday)
        D(2023, 4, 7),  # Good Friday
        D(2023, 4, 10),  # Easter Monday - E&W, NI
        D(2023, 5, 1),  # Early May
        D(2023, 5, 8),  # Coronation of King Charles III (one-off, all nations)
        D(2023, 5, 29),  # Spring bank holiday
        D(2023, 7, 12),  # NI: Battle of the Boyne (Wednesday)
        D(2023, 8, 7),  # Scotland: first Monday of August
        D(2023, 8, 28),  # E&W, NI: last Monday of August
        D(2023, 11, 30),  # Scotland: St Andrew's Day (Thursday)
        D(2023, 12, 25),  # Christmas Day (Monday)
        D(2023, 12, 26),  # Boxing Day
    ],
    2024: [
        D(2024, 1, 1),  # New Year's Day (Monday)
        D(2024, 1, 2),  # Scotland: 2 January (Tuesday)
        D(2024, 3, 18),  # NI: St Patrick's Day substitute (17 Mar a Sunday)
        D(2024, 3, 29),  # Good Friday
        D(2024, 4, 1),  # Easter Monday - E&W, NI
        D(2024, 5, 6),  # Early May
        D(2024, 5, 27),  # Spring bank holiday
        D(2024, 7, 12),  # NI: Battle of the Boyne (Friday)
        D(2024, 8, 5),  # Scotland: first Monday of August
        D(2024, 8, 26),  # E&W, NI: last Monday of August
        D(2024, 12, 2),  # Scotland: St Andrew's Day substitute (30 Nov a Saturday)
        D(2024, 12, 25),  # Christmas Day
        D(2024, 12, 26),  # Boxing Day
    ],
    2025: [
        D(2025, 1, 1),  # New Year's Day (Wednesday)
        D(2025, 1, 2),  # Scotland: 2 January (Thursday)
        D(2025, 3, 17),  # NI: St Patrick's Day (Monday)
        D(2025, 4, 18),  # Good Friday
        D(2025, 4, 21),  # Easter Monday - E&W, NI
        D(2025, 5, 5),  # Early May
        D(2025, 5, 26),  # Spring bank holiday
        D(2025, 7, 14),  # NI: Battle of the Boyne substitute (12 Jul a Saturday)
        D(2025, 8, 4),  # Scotland: first Monday of August
        D(2025, 8, 25),  # E&W, NI: last Monday of August
        D(2025, 12, 1),  # Scotland: St Andrew's Day substitute (30 Nov a Sunday)
        D(2025, 12, 25),  # Christmas Day (Thursday)
        D(2025, 12, 26),  # Boxing Day (Friday)
    ],
    2026: [
        D(2026, 1, 1),  # New Year's Day (Thursday)
        D(2026, 1, 2),  # Scotland: 2 January (Friday)
        D(2026, 3, 17),  # NI: St Patrick's Day (Tuesday)
        D(2026, 4, 3),  # Good Friday
        D(2026, 4, 6),  # Easter Monday - E&W, NI
        D(2026, 5, 4),  # Early May
        D(2026, 5, 25),  # Spring bank holiday
        D(2026, 6, 15),  # Scotland: World Cup bank holiday (proclaimed 3 Feb 2026, one-off)
        D(2026, 7, 13),  # NI: Battle of the Boyne substitute (12 Jul a Sunday)
        D(2026, 8, 3),  # Scotland: first Monday of August
        D(2026, 8, 31),  # E&W, NI: last Monday of August
        D(2026, 11, 30),  # Scotland: St Andrew's Day (Monday)
        D(2026, 12, 25),  # Christmas Day (Friday)
        D(2026, 12, 28),  # Boxing Day substitute (26 Dec a Saturday)
    ],
}

# Each nation's own weekday holidays (used for subject-access due dates), by hand from GOV.UK.
NATION_NON_WORKING_WEEKDAYS = {
    ("england", 2024): [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
                        D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    ("wales", 2024): [D(2024, 1, 1), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6), D(2024, 5, 27),
                      D(2024, 8, 26), D(2024, 12, 25), D(2024, 12, 26)],
    # Scotland: 2 January, no Easter Monday, first Monday of August, St Andrew's substitute 2 Dec.
    ("scotland", 2024): [D(2024, 1, 1), D(2024, 1, 2), D(2024, 3, 29), D(2024, 5, 6), D(2024, 5, 27),
                         D(2024, 8, 5), D(2024, 12, 2), D(2024, 12, 25), D(2024, 12, 26)],
    # NI: St Patrick's substitute 18 Mar, Easter Monday, 12 July, last Monday of August.
    ("northern-ireland", 2024): [D(2024, 1, 1), D(2024, 3, 18), D(2024, 3, 29), D(2024, 4, 1), D(2024, 5, 6),
                                 D(2024, 5, 27), D(2024, 7, 12), D(2024, 8, 26), D(2024, 12, 25),
                                 D(2024, 12, 26)],
    # 2022 in Scotland: both New Year substitutes, no Easter Monday, the two one-off days.
    ("scotland", 2022): [D(2022, 1, 3), D(2022, 1, 4), D(2022, 4, 15), D(2022, 5, 2), D(2022, 6, 2),
                         D(2022, 6, 3), D(2022, 8, 1), D(2022, 9, 19), D(2022, 11, 30), D(2022, 12, 26),
                         D(2022, 12, 27)],
    # 2022 in England: the Jubilee moved spring bank holiday, state funeral, Christmas substitute.
    ("england", 2022): [D(2022, 1, 3), D(2022, 4, 15), D(2022, 4, 18), D(2022, 5, 2), D(2022, 6, 2),
                        D(2022, 6, 3), D(2022, 8, 29), D(2022, 9, 19), D(2022, 12, 26), D(2022, 12, 27)],
    # 2026 in Scotland has the World Cup day; England does not.
    ("scotland", 2026): [D(2026, 1, 1), D(2026, 1, 2), D(2026, 4, 3), D(2026, 5, 4), D(2026, 5, 25),
                         D(2026, 6, 15), D(2026, 8, 3), D(2026, 11, 30), D(2026, 12, 25), D(2026, 12, 28)],
    ("england", 2026): [D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25),
                        D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)],
    ("northern-ireland", 2025): [D(2025, 1, 1), D(2025, 3, 17), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5),
                                 D(2025, 5, 26), D(2025, 7, 14), D(2025, 8, 25), D(2025, 12, 25),
                                 D(2025, 12, 26)],
}


def _weekdays(year: int):
    day = D(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", sorted(ALL_UK_NON_WORKING_WEEKDAYS))
def test_all_uk_calendar_matches_hand_list_for_whole_year(year):
    found = [d for d in _weekdays(year) if not is_working_day(d)]
    assert found == ALL_UK_NON_WORKING_WEEKDAYS[year]


@pytest.mark.parametrize(("nation", "year"), sorted(NATION_NON_WORKING_WEEKDAYS))
def test_nation_calendar_matches_hand_list_for_whole_year(nation, year):
    found = [d for d in _weekdays(year) if not is_working_day(d, scope=nation)]
    assert found == NATION_NON_WORKING_WEEKDAYS[(nation, year)]


@pytest.mark.parametrize(
    ("day", "scope", "expected"),
    [
        (D(2025, 3, 15), "uk", False),  # a Saturday
        (D(2025, 3, 16), "uk", False),  # a Sunday
        (D(2025, 3, 17), "uk", False),  # St Patrick's Day: NI only, yet not an FOI working day anywhere
        (D(2025, 3, 17), "england", True),
        (D(2025, 3, 17), "northern-ireland", False),
        (D(2024, 12, 2), "wales", True),  # St Andrew's substitute is Scotland's alone
        (D(2024, 12, 2), "scotland", False),
        (D(2023, 4, 10), "scotland", True),  # Easter Monday is not a Scottish bank holiday
        (D(2023, 4, 10), "uk", False),
        (D(2023, 8, 7), "england", True),  # Scotland's first Monday of August
        (D(2023, 8, 7), "uk", False),
        (D(2026, 6, 15), "scotland", False),  # World Cup day
        (D(2026, 6, 15), "england", True),
        (D(2025, 6, 16), "uk", True),  # an ordinary Monday
    ],
)
def test_is_working_day(day, scope, expected):
    assert is_working_day(day, scope=scope) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # Sat 4 Jun 2022: counting starts Mon 6 Jun; four full weeks -> Fri 1 Jul.
        (D(2022, 6, 4), 20, D(2022, 7, 1)),
        # Wed 1 Jun 2022: Thu 2 and Fri 3 Jun are holidays, so day 1 is Mon 6 Jun.
        (D(2022, 6, 1), 1, D(2022, 6, 6)),
        # Thu 22 Dec 2022: Fri 23 (1), Mon 26 + Tue 27 holidays, Wed 28 (2).
        (D(2022, 12, 22), 2, D(2022, 12, 28)),
        # Fri 30 Dec 2022: Mon 2 Jan (England) and Tue 3 Jan (Scotland) are out -> Wed 4 Jan.
        (D(2022, 12, 30), 1, D(2023, 1, 4)),
        # Received on Good Friday 2025 (18 Apr): Mon 21 Apr out -> Tue 22 Apr is day 1.
        (D(2025, 4, 18), 1, D(2025, 4, 22)),
    ],
)
def test_add_working_days(start, n, expected):
    assert add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2025, 6, 13), D(2025, 6, 16), 1),  # Fri -> Mon: only Monday counts
        (D(2025, 6, 13), D(2025, 6, 13), 0),
        (D(2025, 6, 16), D(2025, 6, 13), 0),  # end before start
        (D(2024, 12, 20), D(2025, 1, 3), 6),  # 23, 24, 27, 30, 31 Dec, 3 Jan (25/26 Dec, 1/2 Jan out)
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


def test_next_working_day_uses_the_scope():
    # Sat 29 Nov 2025: Sunday 30 Nov, then Monday 1 Dec is Scotland's St Andrew's substitute.
    assert next_working_day(D(2025, 11, 29), scope="england") == D(2025, 12, 1)
    assert next_working_day(D(2025, 11, 29), scope="scotland") == D(2025, 12, 2)
    assert next_working_day(D(2025, 12, 2)) == D(2025, 12, 2)


@settings(max_examples=150, deadline=None)
@given(
    start=st.dates(min_value=D(2022, 1, 1), max_value=D(2026, 10, 31)),
    n=st.integers(min_value=1, max_value=60),
    scope=st.sampled_from(["uk", "england", "scotland", "northern-ireland", "wales"]),
)
def test_between_inverts_add(start, n, scope):
    end = add_working_days(start, n, scope=scope)
    assert working_days_between(start, end, scope=scope) == n
    assert is_working_day(end, scope=scope)


@pytest.mark.parametrize(
    ("year", "easter"),
    [(2008, D(2008, 3, 23)), (2019, D(2019, 4, 21)), (2022, D(2022, 4, 17)), (2024, D(2024, 3, 31)),
     (2025, D(2025, 4, 20)), (2038, D(2038, 4, 25))],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_holiday_names_say_where():
    cal = default_calendar()
    assert cal.holiday_name(D(2025, 7, 14)) == "Battle of the Boyne (substitute day) in Northern Ireland"
    assert cal.holiday_name(D(2025, 4, 21)) == "Easter Monday in England, Wales and Northern Ireland"
    assert cal.holiday_name(D(2025, 12, 25)) == "Christmas Day"
    assert cal.holiday_name(D(2025, 6, 16)) is None


def test_extra_days_for_a_newly_proclaimed_holiday():
    # A day proclaimed after the pinned package was released: Scotland only.
    proclaimed = D(2026, 9, 14)
    cal = UKCalendar(extra={"scotland": {proclaimed: "Proclaimed holiday"}})
    assert not cal.is_working_day(proclaimed, "scotland")
    assert not cal.is_working_day(proclaimed, "uk")  # a bank holiday in any part of the UK
    assert cal.is_working_day(proclaimed, "england")
    assert default_calendar().is_working_day(proclaimed)  # the shared calendar is untouched


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: is_working_day(D(2025, 1, 6), scope="englnd"), "unknown calendar 'englnd'"),
        (lambda: add_working_days(D(2025, 1, 6), 0), "1 or more"),
        (lambda: is_working_day(datetime(2025, 1, 6, 9, 30)), "must be a date"),
        (lambda: UKCalendar(extra={"cornwall": {}}), "unknown calendar 'cornwall'"),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(CalendarError, match=message) as info:
        call()
    assert isinstance(info.value, CouncilguardError)
