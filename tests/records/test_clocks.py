"""The request clocks: a table of due dates worked out BY HAND from the GOV.UK bank-holiday lists.

How the hand reasoning is written: for FOI/EIR, receipt on a weekday X with no holidays gives X + 28
days (four weeks = 20 working days); each non-working weekday in the window pushes the date one
working day further. Receipt on a Saturday gives the Friday four weeks later (Sat + 27). For subject
access: the corresponding date one month on (or that month's last day), plus any clarification pause
(asking day to answer day, both included), then the next working day of the council's own nation.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from councilguard.errors import CouncilguardError
from councilguard.records.clocks import (
    ClarificationReceived,
    ClarificationRequested,
    ClockError,
    ClockStatus,
    ExtensionNotice,
    FeeNoticeGiven,
    FeeReceived,
    IdentityReceived,
    IdentityRequested,
    RequestClock,
    add_months,
)

D = date
OPEN, DUE_TODAY, OVERDUE = ClockStatus.OPEN, ClockStatus.DUE_TODAY, ClockStatus.OVERDUE
AWAIT_CLAR, AWAIT_FEE, AWAIT_ID = (
    ClockStatus.AWAITING_CLARIFICATION,
    ClockStatus.AWAITING_FEE,
    ClockStatus.AWAITING_IDENTITY,
)
LAPSED = ClockStatus.LAPSED


def ext(on, *grounds, new_due=None, reason="the public interest test needs a councillors' meeting"):
    return ExtensionNotice(on, frozenset(grounds), reason, new_due)


PI = "public-interest"
CV = ("complex", "voluminous")

# (kind, nation, received, events, today, expected due, expected status)
ROWS = [
    # ---- FOI / EIR: plain and holidays (all-UK calendar) -----------------------------------------
    # Mon 5 Jun 2023 + 28 days = Mon 3 Jul; no holiday in June 2023 (spring bank was 29 May).
    pytest.param("foi", "england", D(2023, 6, 5), [], D(2023, 6, 5), D(2023, 7, 3), OPEN, id="foi-plain"),
    # Same dates under EIR reg 5(2): identical count.
    pytest.param("eir", "england", D(2023, 6, 5), [], D(2023, 6, 20), D(2023, 7, 3), OPEN, id="eir-plain"),
    # Received Sat 4 Jun 2022: counting starts Mon 6 Jun, 4 full weeks -> Fri 1 Jul (Jubilee days before).
    pytest.param("foi", "england", D(2022, 6, 4), [], D(2022, 6, 6), D(2022, 7, 1), OPEN, id="foi-saturday"),
    # Sat 28 May 2022: Sat + 27 = Fri 24 Jun, + Thu 2 Jun (moved spring bank) and Fri 3 Jun (Platinum
    # Jubilee) = Tue 28 Jun.
    pytest.param("foi", "england", D(2022, 5, 28), [], D(2022, 6, 1), D(2022, 6, 28), OPEN, id="foi-jubilee-2022"),
    # Mon 12 Sep 2022 + 28 = Mon 10 Oct, + Mon 19 Sep (state funeral) = Tue 11 Oct.
    pytest.param("foi", "england", D(2022, 9, 12), [], D(2022, 9, 12), D(2022, 10, 11), OPEN, id="foi-funeral-2022"),
    # Mon 24 Apr 2023 + 28 = Mon 22 May, + Mon 1 May (early May) + Mon 8 May (Coronation) = Wed 24 May.
    pytest.param("foi", "england", D(2023, 4, 24), [], D(2023, 4, 24), D(2023, 5, 24), OPEN, id="foi-coronation-2023"),
    # Thu 15 Dec 2022 + 28 = Thu 12 Jan, + Mon 26 Dec, Tue 27 Dec (Christmas substitute), Mon 2 Jan
    # (New Year substitute), Tue 3 Jan (Scotland's 2 January substitute) = Wed 18 Jan 2023.
    pytest.param("foi", "england", D(2022, 12, 15), [], D(2022, 12, 15), D(2023, 1, 18), OPEN, id="foi-xmas-2022"),
    # Mon 18 Dec 2023 + 28 = Mon 15 Jan, + Mon 25, Tue 26 Dec, Mon 1 Jan, Tue 2 Jan (Scotland) = Fri 19 Jan.
    pytest.param("foi", "wales", D(2023, 12, 18), [], D(2023, 12, 18), D(2024, 1, 19), OPEN, id="foi-xmas-2023"),
    # Mon 16 Dec 2024 + 28 = Mon 13 Jan, + Wed 25, Thu 26 Dec, Wed 1 Jan, Thu 2 Jan (Scotland) = Fri 17 Jan.
    pytest.param("foi", "england", D(2024, 12, 16), [], D(2024, 12, 16), D(2025, 1, 17), OPEN, id="foi-xmas-2024"),
    # Tue 1 Apr 2025 + 28 = Tue 29 Apr, + Good Friday 18 Apr and Easter Monday 21 Apr: two more
    # working days, Wed 30 Apr and Thu 1 May (early May bank holiday is Mon 5 May, outside).
    pytest.param("foi", "england", D(2025, 4, 1), [], D(2025, 4, 1), D(2025, 5, 1), OPEN, id="foi-easter-2025"),
    # Fri 15 Mar 2024 + 28 = Fri 12 Apr, + Mon 18 Mar (NI St Patrick's substitute), Good Friday 29 Mar,
    # Easter Monday 1 Apr = Mon 15, Tue 16, Wed 17 Apr.
    pytest.param("foi", "england", D(2024, 3, 15), [], D(2024, 3, 15), D(2024, 4, 17), OPEN, id="foi-stpatrick-sub-easter-2024"),
    # Mon 7 Mar 2022 + 28 = Mon 4 Apr, + Thu 17 Mar (St Patrick's, NI) = Tue 5 Apr.
    pytest.param("foi", "england", D(2022, 3, 7), [], D(2022, 3, 7), D(2022, 4, 5), OPEN, id="foi-stpatrick-2022"),
    # Mon 26 Jun 2023 + 28 = Mon 24 Jul, + Wed 12 Jul (Boyne, NI) = Tue 25 Jul.
    pytest.param("foi", "scotland", D(2023, 6, 26), [], D(2023, 6, 26), D(2023, 7, 25), OPEN, id="foi-boyne-2023"),
    # Mon 30 Jun 2025 + 28 = Mon 28 Jul, + Mon 14 Jul (Boyne substitute, 12 Jul a Saturday) = Tue 29 Jul.
    pytest.param("foi", "england", D(2025, 6, 30), [], D(2025, 6, 30), D(2025, 7, 29), OPEN, id="foi-boyne-sub-2025"),
    # Mon 31 Jul 2023 + 28 = Mon 28 Aug, itself the E&W/NI holiday; window holds Mon 7 Aug (Scotland's
    # first Monday) and Mon 28 Aug: so Tue 29 Aug is day 19, Wed 30 Aug day 20.
    pytest.param("foi", "england", D(2023, 7, 31), [], D(2023, 7, 31), D(2023, 8, 30), OPEN, id="foi-scot-august-2023"),
    # Wed 16 Nov 2022 + 28 = Wed 14 Dec, + Wed 30 Nov (St Andrew's, Scotland) = Thu 15 Dec.
    pytest.param("foi", "england", D(2022, 11, 16), [], D(2022, 11, 16), D(2022, 12, 15), OPEN, id="foi-standrew-2022"),
    # Mon 25 Nov 2024 + 28 = Mon 23 Dec, + Mon 2 Dec (St Andrew's substitute, 30 Nov a Saturday) = Tue 24 Dec.
    pytest.param("foi", "england", D(2024, 11, 25), [], D(2024, 11, 25), D(2024, 12, 24), OPEN, id="foi-standrew-sub-2024"),
    # Mon 24 Nov 2025 + 28 = Mon 22 Dec, + Mon 1 Dec (St Andrew's substitute, 30 Nov a Sunday) = Tue 23 Dec.
    pytest.param("foi", "northern-ireland", D(2025, 11, 24), [], D(2025, 11, 24), D(2025, 12, 23), OPEN, id="foi-standrew-sub-2025"),
    # Mon 8 Jun 2026 + 28 = Mon 6 Jul, + Mon 15 Jun (Scotland's World Cup day) = Tue 7 Jul.
    pytest.param("foi", "england", D(2026, 6, 8), [], D(2026, 6, 8), D(2026, 7, 7), OPEN, id="foi-worldcup-2026"),
    # ---- FOI: due today, overdue ------------------------------------------------------------------
    # As foi-plain; today is the due date.
    pytest.param("foi", "england", D(2023, 6, 5), [], D(2023, 7, 3), D(2023, 7, 3), DUE_TODAY, id="foi-due-today"),
    # As foi-plain; today Thu 13 Jul 2023 is past the due date.
    pytest.param("foi", "england", D(2023, 6, 5), [], D(2023, 7, 13), D(2023, 7, 3), OVERDUE, id="foi-overdue"),
    # ---- FOI / EIR: clarification restarts ---------------------------------------------------------
    # Received Mon 5 Jun 2023, asked Wed 7 Jun, answered Mon 12 Jun: 20 days afresh from Mon 12 Jun =
    # Mon 10 Jul (Boyne 12 Jul is after).
    pytest.param("foi", "england", D(2023, 6, 5),
                 [ClarificationRequested(D(2023, 6, 7)), ClarificationReceived(D(2023, 6, 12))],
                 D(2023, 6, 13), D(2023, 7, 10), OPEN, id="foi-clarification-restart"),
    # EIR reg 9, answered Mon 26 Jun 2023: + 28 = Mon 24 Jul, + Wed 12 Jul = Tue 25 Jul.
    pytest.param("eir", "england", D(2023, 6, 5),
                 [ClarificationRequested(D(2023, 6, 6)), ClarificationReceived(D(2023, 6, 26))],
                 D(2023, 6, 26), D(2023, 7, 25), OPEN, id="eir-clarification-restart"),
    # Asked Wed 7 Jun, no answer yet on Fri 9 Jun: no due date.
    pytest.param("foi", "england", D(2023, 6, 5), [ClarificationRequested(D(2023, 6, 7))],
                 D(2023, 6, 9), None, AWAIT_CLAR, id="foi-awaiting-clarification"),
    # ---- FOI / EIR: fees ----------------------------------------------------------------------------
    # Received Mon 5 Jun 2023, notice Fri 9 Jun, fee Wed 14 Jun: Fri 9, Mon 12, Tue 13, Wed 14 are
    # disregarded (4 working days): Mon 3 Jul + 4 working days = Fri 7 Jul.
    pytest.param("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 9)), FeeReceived(D(2023, 6, 14))],
                 D(2023, 6, 14), D(2023, 7, 7), OPEN, id="foi-fee-pause"),
    # Late fee: notice Tue 6 Jun 2023 (nothing counted yet), paid Mon 4 Sep (within three months:
    # last day Tue 5 Sep). Counting restarts Tue 5 Sep: 5-8 (4), 11-15 (9), 18-22 (14), 25-29 (19),
    # Mon 2 Oct (20).
    pytest.param("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6)), FeeReceived(D(2023, 9, 4))],
                 D(2023, 9, 4), D(2023, 10, 2), OPEN, id="foi-late-fee"),
    # Paid on the last day, Tue 5 Sep 2023 (three months beginning 6 Jun end 5 Sep): in time; counting
    # from Wed 6 Sep: 6-8 (3), 11-15 (8), 18-22 (13), 25-29 (18), Mon 2 (19), Tue 3 Oct (20).
    pytest.param("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6)), FeeReceived(D(2023, 9, 5))],
                 D(2023, 9, 5), D(2023, 10, 3), OPEN, id="foi-fee-last-day"),
    # Fee outstanding on Tue 5 Sep 2023, the last day: still awaiting.
    pytest.param("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6))],
                 D(2023, 9, 5), None, AWAIT_FEE, id="foi-awaiting-fee"),
    # Fee outstanding on Wed 6 Sep 2023: the three months have run out, the request lapsed.
    pytest.param("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6))],
                 D(2023, 9, 6), None, LAPSED, id="foi-fee-lapsed"),
    # Fee paid Wed 6 Sep 2023, one day too late: lapsed all the same.
    pytest.param("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6)), FeeReceived(D(2023, 9, 6))],
                 D(2023, 9, 7), None, LAPSED, id="foi-fee-paid-too-late"),
    # Notice Tue 31 Jan 2023: no 31 April, so the three months end Sun 30 Apr: still awaiting that day...
    pytest.param("foi", "england", D(2023, 1, 30), [FeeNoticeGiven(D(2023, 1, 31))],
                 D(2023, 4, 30), None, AWAIT_FEE, id="foi-fee-month-end-last-day"),
    # ...and lapsed on Mon 1 May 2023.
    pytest.param("foi", "england", D(2023, 1, 30), [FeeNoticeGiven(D(2023, 1, 31))],
                 D(2023, 5, 1), None, LAPSED, id="foi-fee-month-end-lapsed"),
    # EIR advance payment, notice Tue 6 Jun 2023: 60th working day after it. 20th = Tue 4 Jul; 40th =
    # Tue 1 Aug + Wed 12 Jul = Wed 2 Aug; 60th = Wed 30 Aug + Mon 7 Aug (Scotland) + Mon 28 Aug = Fri 1 Sep.
    pytest.param("eir", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6))],
                 D(2023, 9, 1), None, AWAIT_FEE, id="eir-fee-60th-day"),
    # The next working day after Fri 1 Sep 2023 is Mon 4 Sep: past the 60th, lapsed.
    pytest.param("eir", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6))],
                 D(2023, 9, 4), None, LAPSED, id="eir-fee-lapsed"),
    # ---- FOI / EIR: extensions -------------------------------------------------------------------
    # FOI public interest: due Mon 3 Jul 2023, notice Mon 26 Jun, new date Mon 31 Jul.
    pytest.param("foi", "england", D(2023, 6, 5), [ext(D(2023, 6, 26), PI, new_due=D(2023, 7, 31))],
                 D(2023, 7, 4), D(2023, 7, 31), OPEN, id="foi-pi-extension"),
    # Notice given on the due date itself (Mon 3 Jul 2023) is in time.
    pytest.param("foi", "england", D(2023, 6, 5), [ext(D(2023, 7, 3), PI, new_due=D(2023, 7, 17))],
                 D(2023, 7, 3), D(2023, 7, 17), OPEN, id="foi-pi-extension-on-due-day"),
    # EIR complex and voluminous, notice Fri 30 Jun 2023: 40th working day = Mon 5 Jun + 56 days =
    # Mon 31 Jul, + Wed 12 Jul = Tue 1 Aug.
    pytest.param("eir", "england", D(2023, 6, 5), [ext(D(2023, 6, 30), *CV, reason="20 years of minutes")],
                 D(2023, 7, 4), D(2023, 8, 1), OPEN, id="eir-40-days"),
    # EIR fee pause plus extension (reg 8 applies to the 40 days too): 4 working days disregarded
    # (Fri 9 - Wed 14 Jun): Tue 1 Aug + Wed 2, Thu 3, Fri 4, (Mon 7 Aug Scotland out), Tue 8 Aug.
    pytest.param("eir", "england", D(2023, 6, 5),
                 [FeeNoticeGiven(D(2023, 6, 9)), FeeReceived(D(2023, 6, 14)),
                  ext(D(2023, 6, 30), *CV, reason="20 years of minutes")],
                 D(2023, 7, 4), D(2023, 8, 8), OPEN, id="eir-fee-and-40-days"),
    # ---- Subject access: calendar months, nation's own holidays ------------------------------------
    # Wed 3 Sep 2025 -> Fri 3 Oct 2025, a working day.
    pytest.param("sar", "england", D(2025, 9, 3), [], D(2025, 9, 3), D(2025, 10, 3), OPEN, id="sar-plain"),
    # Fri 31 Jan 2025 -> no 31 Feb -> Fri 28 Feb 2025.
    pytest.param("sar", "england", D(2025, 1, 31), [], D(2025, 2, 1), D(2025, 2, 28), OPEN, id="sar-31-jan"),
    # Wed 31 Jan 2024 (leap year) -> Thu 29 Feb 2024.
    pytest.param("sar", "england", D(2024, 1, 31), [], D(2024, 2, 1), D(2024, 2, 29), OPEN, id="sar-31-jan-leap"),
    # Thu 29 Feb 2024 -> Fri 29 Mar = Good Friday; Sat, Sun, Mon 1 Apr Easter Monday (England) -> Tue 2 Apr.
    pytest.param("sar", "england", D(2024, 2, 29), [], D(2024, 3, 1), D(2024, 4, 2), OPEN, id="sar-29-feb-easter-england"),
    # Same in Scotland: Easter Monday is a working day there -> Mon 1 Apr 2024.
    pytest.param("sar", "scotland", D(2024, 2, 29), [], D(2024, 3, 1), D(2024, 4, 1), OPEN, id="sar-29-feb-easter-scotland"),
    # Received Sun 31 Aug 2025 -> no 31 Sep -> Tue 30 Sep 2025.
    pytest.param("sar", "wales", D(2025, 8, 31), [], D(2025, 9, 1), D(2025, 9, 30), OPEN, id="sar-31-aug"),
    # Thu 30 Oct 2025 -> Sun 30 Nov -> England: Mon 1 Dec.
    pytest.param("sar", "england", D(2025, 10, 30), [], D(2025, 11, 3), D(2025, 12, 1), OPEN, id="sar-standrew-england"),
    # Same in Scotland: Mon 1 Dec is St Andrew's substitute -> Tue 2 Dec 2025.
    pytest.param("sar", "scotland", D(2025, 10, 30), [], D(2025, 11, 3), D(2025, 12, 2), OPEN, id="sar-standrew-scotland"),
    # Thu 12 Jun 2025 -> Sat 12 Jul -> NI: Sun 13, Mon 14 (Boyne substitute) out -> Tue 15 Jul.
    pytest.param("sar", "northern-ireland", D(2025, 6, 12), [], D(2025, 6, 12), D(2025, 7, 15), OPEN, id="sar-boyne-ni"),
    # Same in England: Mon 14 Jul 2025.
    pytest.param("sar", "england", D(2025, 6, 12), [], D(2025, 6, 12), D(2025, 7, 14), OPEN, id="sar-boyne-england"),
    # Fri 4 Jul 2025 -> Mon 4 Aug = Scotland's first Monday of August -> Tue 5 Aug.
    pytest.param("sar", "scotland", D(2025, 7, 4), [], D(2025, 7, 4), D(2025, 8, 5), OPEN, id="sar-scot-august"),
    # Tue 2 Dec 2025 -> Fri 2 Jan 2026 = Scotland's 2 January -> Mon 5 Jan 2026.
    pytest.param("sar", "scotland", D(2025, 12, 2), [], D(2025, 12, 2), D(2026, 1, 5), OPEN, id="sar-2-jan-scotland"),
    # Same in England: Fri 2 Jan 2026 is a working day.
    pytest.param("sar", "england", D(2025, 12, 2), [], D(2025, 12, 2), D(2026, 1, 2), OPEN, id="sar-2-jan-england"),
    # Wed 25 Nov 2026 -> Fri 25 Dec; Sat, Sun, Mon 28 Dec (Boxing Day substitute) -> Tue 29 Dec.
    pytest.param("sar", "england", D(2026, 11, 25), [], D(2026, 11, 25), D(2026, 12, 29), OPEN, id="sar-christmas-2026"),
    # Tue 3 May 2022 -> Fri 3 Jun 2022 = Platinum Jubilee -> Mon 6 Jun.
    pytest.param("sar", "northern-ireland", D(2022, 5, 3), [], D(2022, 5, 3), D(2022, 6, 6), OPEN, id="sar-jubilee"),
    # Fri 15 May 2026 -> Mon 15 Jun 2026: Scotland's World Cup day -> Tue 16 Jun; England keeps Mon 15 Jun.
    pytest.param("sar", "scotland", D(2026, 5, 15), [], D(2026, 5, 15), D(2026, 6, 16), OPEN, id="sar-worldcup-scotland"),
    pytest.param("sar", "england", D(2026, 5, 15), [], D(2026, 5, 15), D(2026, 6, 15), OPEN, id="sar-worldcup-england"),
    # ---- Subject access: identity, fee, clarification, extension, lateness -------------------------
    # Received Mon 3 Mar 2025, ID asked Tue 4 Mar, arrives Tue 18 Mar -> Fri 18 Apr Good Friday; Sat,
    # Sun, Mon 21 Apr Easter Monday (England) -> Tue 22 Apr.
    pytest.param("sar", "england", D(2025, 3, 3), [IdentityRequested(D(2025, 3, 4)), IdentityReceived(D(2025, 3, 18))],
                 D(2025, 3, 18), D(2025, 4, 22), OPEN, id="sar-late-id"),
    # Same in Scotland -> Mon 21 Apr 2025 (no Easter Monday holiday).
    pytest.param("sar", "scotland", D(2025, 3, 3), [IdentityRequested(D(2025, 3, 4)), IdentityReceived(D(2025, 3, 18))],
                 D(2025, 3, 18), D(2025, 4, 21), OPEN, id="sar-late-id-scotland"),
    # ID asked, not yet arrived: no due date.
    pytest.param("sar", "england", D(2025, 3, 3), [IdentityRequested(D(2025, 3, 4))],
                 D(2025, 3, 10), None, AWAIT_ID, id="sar-awaiting-id"),
    # Fee asked Wed 5 Mar 2025, paid Mon 31 Mar -> no 31 Apr -> Wed 30 Apr 2025.
    pytest.param("sar", "england", D(2025, 3, 3), [FeeNoticeGiven(D(2025, 3, 5)), FeeReceived(D(2025, 3, 31))],
                 D(2025, 4, 1), D(2025, 4, 30), OPEN, id="sar-late-fee"),
    # Fee asked Wed 5 Mar 2025 and never paid: no due date, and (unlike FOI) no statutory lapse.
    pytest.param("sar", "england", D(2025, 3, 3), [FeeNoticeGiven(D(2025, 3, 5))],
                 D(2025, 6, 30), None, AWAIT_FEE, id="sar-awaiting-fee"),
    # Received Fri 1 Nov 2024; clarification asked Tue 5, answered Thu 7 Nov: 3 days (5, 6, 7) do not
    # count. Sun 1 Dec + 3 = Wed 4 Dec, a working day.
    pytest.param("sar", "england", D(2024, 11, 1), [ClarificationRequested(D(2024, 11, 5)), ClarificationReceived(D(2024, 11, 7))],
                 D(2024, 11, 8), D(2024, 12, 4), OPEN, id="sar-clarification-pause"),
    # Asked and answered the same day (Mon 10 Mar 2025): 1 day. Thu 3 Apr + 1 = Fri 4 Apr.
    pytest.param("sar", "england", D(2025, 3, 3), [ClarificationRequested(D(2025, 3, 10)), ClarificationReceived(D(2025, 3, 10))],
                 D(2025, 3, 11), D(2025, 4, 4), OPEN, id="sar-clarification-same-day"),
    # Fri 31 Jan 2025; asked Mon 3 Feb, answered Fri 7 Feb: 5 days. Fri 28 Feb + 5 = Wed 5 Mar.
    pytest.param("sar", "england", D(2025, 1, 31), [ClarificationRequested(D(2025, 2, 3)), ClarificationReceived(D(2025, 2, 7))],
                 D(2025, 2, 7), D(2025, 3, 5), OPEN, id="sar-clarification-month-end"),
    # Asked Tue 5 Nov 2024, no answer by Fri 8 Nov: the clock is paused, no due date yet.
    pytest.param("sar", "england", D(2024, 11, 1), [ClarificationRequested(D(2024, 11, 5))],
                 D(2024, 11, 8), None, AWAIT_CLAR, id="sar-awaiting-clarification"),
    # Extension: Fri 31 Jan 2025, notice Mon 24 Feb (before Fri 28 Feb) -> three months: no 31 Apr ->
    # Wed 30 Apr 2025.
    pytest.param("sar", "england", D(2025, 1, 31), [ext(D(2025, 2, 24), "complex", reason="decades of files")],
                 D(2025, 3, 1), D(2025, 4, 30), OPEN, id="sar-extension"),
    # Thu 30 Nov 2023, notice Fri 15 Dec -> three months: no 30 Feb -> Thu 29 Feb 2024 (leap year).
    pytest.param("sar", "england", D(2023, 11, 30), [ext(D(2023, 12, 15), "number-of-requests", reason="four requests")],
                 D(2023, 12, 15), D(2024, 2, 29), OPEN, id="sar-extension-leap"),
    # Mon 3 Mar 2025, pause Mon 10 - Wed 12 Mar (3 days), notice Fri 4 Apr (first month now ends Sun
    # 6 Apr): Tue 3 Jun + 3 = Fri 6 Jun 2025.
    pytest.param("sar", "england", D(2025, 3, 3),
                 [ClarificationRequested(D(2025, 3, 10)), ClarificationReceived(D(2025, 3, 12)),
                  ext(D(2025, 4, 4), "complex", reason="many systems")],
                 D(2025, 4, 4), D(2025, 6, 6), OPEN, id="sar-pause-and-extension"),
    # Wed 3 Sep 2025, due Fri 3 Oct; on Fri 10 Oct it is overdue.
    pytest.param("sar", "england", D(2025, 9, 3), [], D(2025, 10, 10), D(2025, 10, 3), OVERDUE, id="sar-overdue"),
    # Same request on Fri 3 Oct 2025 itself: due today.
    pytest.param("sar", "england", D(2025, 9, 3), [], D(2025, 10, 3), D(2025, 10, 3), DUE_TODAY, id="sar-due-today"),
]


@pytest.mark.parametrize(("kind", "nation", "received", "events", "today", "due", "status"), ROWS)
def test_due_date_and_status(kind, nation, received, events, today, due, status):
    clock = RequestClock(kind, received, events, nation=nation)
    reading = clock.evaluate(today)
    assert (reading.due, reading.status) == (due, status)
    assert clock.due_date(today) == due
    assert reading.explanation and all(isinstance(line, str) and line for line in reading.explanation)


def test_table_is_large_enough():
    assert len(ROWS) >= 40


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 1, 31), 1, D(2025, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 1, D(2024, 3, 29)),
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2025, 12, 15), 1, D(2026, 1, 15)),  # across the year end
        (D(2024, 12, 31), 2, D(2025, 2, 28)),
        (D(2025, 10, 31), 4, D(2026, 2, 28)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


# FOIA s9(2): three months *beginning with* the day of the notice. The last day to pay is the day
# before the corresponding date, or the month's last day where there is no corresponding date.
@pytest.mark.parametrize(
    ("notice", "last_day"),
    [
        (D(2023, 6, 6), D(2023, 9, 5)),  # 6 Sep corresponds -> 5 Sep
        (D(2023, 3, 1), D(2023, 5, 31)),  # 1 Jun corresponds -> 31 May
        (D(2023, 1, 31), D(2023, 4, 30)),  # no 31 Apr -> 30 Apr
        (D(2023, 11, 30), D(2024, 2, 29)),  # no 30 Feb -> 29 Feb (leap year)
        (D(2023, 11, 29), D(2024, 2, 28)),  # 29 Feb corresponds -> 28 Feb
    ],
)
def test_foi_fee_lapses_the_day_after_the_last_day(notice, last_day):
    clock = RequestClock("foi", notice, [FeeNoticeGiven(notice)])
    assert clock.status(last_day) is AWAIT_FEE
    assert clock.status(last_day + (D(2000, 1, 2) - D(2000, 1, 1))) is LAPSED


@pytest.mark.parametrize(
    ("kind", "nation", "received", "events", "today", "days_late", "working_days_late"),
    [
        # Due Mon 3 Jul 2023; Thu 13 Jul is 10 days on; working days Tue 4 - Fri 7 (4), Mon 10,
        # Tue 11 (6), Wed 12 Jul is the Boyne, Thu 13 (7).
        ("foi", "england", D(2023, 6, 5), [], D(2023, 7, 13), 10, 7),
        # Due Fri 7 Jul 2023 (fee pause row); Saturday 8 Jul is late by a day but by no working day.
        ("foi", "england", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 9)), FeeReceived(D(2023, 6, 14))],
         D(2023, 7, 8), 1, 0),
        # SAR due Fri 3 Oct 2025; Fri 10 Oct: 7 days, Mon 6 - Fri 10 = 5 working days.
        ("sar", "england", D(2025, 9, 3), [], D(2025, 10, 10), 7, 5),
        # SAR in Scotland due Tue 2 Dec 2025; Fri 5 Dec: 3 days, Wed 3 - Fri 5 = 3 working days.
        ("sar", "scotland", D(2025, 10, 30), [], D(2025, 12, 5), 3, 3),
    ],
)
def test_lateness(kind, nation, received, events, today, days_late, working_days_late):
    reading = RequestClock(kind, received, events, nation=nation).evaluate(today)
    assert reading.status is OVERDUE
    assert (reading.days_late, reading.working_days_late) == (days_late, working_days_late)


def test_working_days_left():
    # Received Mon 5 Jun 2023, due Mon 3 Jul: on the day of receipt all 20 are left; on Fri 30 Jun, 1.
    clock = RequestClock("foi", D(2023, 6, 5))
    assert clock.evaluate(D(2023, 6, 5)).working_days_left == 20
    assert clock.evaluate(D(2023, 6, 30)).working_days_left == 1


def test_pi_extension_past_twenty_more_working_days_warns():
    # Original due Mon 3 Jul 2023; 20 more working days: Mon 31 Jul + Wed 12 Jul (Boyne) = Tue 1 Aug.
    within = RequestClock("foi", D(2023, 6, 5), [ext(D(2023, 6, 26), PI, new_due=D(2023, 8, 1))])
    beyond = RequestClock("foi", D(2023, 6, 5), [ext(D(2023, 6, 26), PI, new_due=D(2023, 8, 2))])
    assert within.warnings == ()
    assert beyond.due_date() == D(2023, 8, 2)
    assert len(beyond.warnings) == 1
    assert "more than 20 working days" in beyond.warnings[0]
    assert "Tuesday 1 August 2023" in beyond.warnings[0]


def test_pi_extension_may_be_revised_before_the_extended_date():
    # Notice 26 Jun to 17 Jul, then (on 14 Jul, before 17 Jul) a revised estimate of 28 Jul.
    clock = RequestClock(
        "foi", D(2023, 6, 5),
        [ext(D(2023, 6, 26), PI, new_due=D(2023, 7, 17)), ext(D(2023, 7, 14), PI, new_due=D(2023, 7, 28))],
    )
    assert clock.due_date() == D(2023, 7, 28)


def test_events_are_replayed_in_date_order():
    given = [FeeReceived(D(2023, 6, 14)), FeeNoticeGiven(D(2023, 6, 9))]
    assert RequestClock("foi", D(2023, 6, 5), given).due_date() == D(2023, 7, 7)


def test_sar_clarification_after_the_due_date_does_not_stop_the_clock():
    # Due Fri 3 Oct 2025; clarification asked Mon 6 Oct: too late to pause, so still overdue.
    clock = RequestClock(
        "sar", D(2025, 9, 3), [ClarificationRequested(D(2025, 10, 6)), ClarificationReceived(D(2025, 10, 7))]
    )
    reading = clock.evaluate(D(2025, 10, 8))
    assert (reading.due, reading.status) == (D(2025, 10, 3), OVERDUE)
    assert any("after the due date" in w for w in reading.warnings)


def test_explanations_a_clerk_can_read():
    foi = RequestClock("foi", D(2022, 12, 15)).evaluate(D(2022, 12, 16))
    text = "\n".join(foi.explanation)
    assert "20th working day after the day of receipt" in text
    assert "Tuesday 3 January 2023, New Year Holiday (substitute day) in Scotland" in text
    assert "Due date: Wednesday 18 January 2023." in text

    restart = RequestClock(
        "foi", D(2023, 6, 5), [ClarificationRequested(D(2023, 6, 7)), ClarificationReceived(D(2023, 6, 12))]
    )
    assert any("start afresh" in line and "Monday 12 June 2023" in line for line in restart.explanation)

    sar = RequestClock("sar", D(2025, 6, 12), nation="northern-ireland").evaluate(D(2025, 6, 12))
    text = "\n".join(sar.explanation)
    assert "Saturday 12 July 2025 is not a working day in Northern Ireland" in text
    assert "Due date: Tuesday 15 July 2025." in text

    # While paused, the Clerk sees what the date would be if the answer came today: asked Tue 5 Nov
    # 2024, today Fri 8 Nov -> 4 days paused -> Sun 1 Dec + 4 = Thu 5 Dec.
    paused = RequestClock("sar", D(2024, 11, 1), [ClarificationRequested(D(2024, 11, 5))]).evaluate(D(2024, 11, 8))
    assert any("Thursday 5 December 2024" in line for line in paused.explanation)

    lapsed = RequestClock("foi", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6))]).evaluate(D(2023, 9, 6))
    assert any("Tuesday 5 September 2023" in line and "lapsed" in line for line in lapsed.explanation)


# (kind, received, events, today, nation, fragment of the error message)
ERRORS = [
    pytest.param("foi", D(2023, 6, 5), [FeeReceived(D(2023, 6, 8)), FeeNoticeGiven(D(2023, 6, 9))], None, "england",
                 "no fee was asked for before it", id="fee-before-notice"),
    pytest.param("foi", D(2023, 6, 5), [FeeReceived(D(2023, 6, 8))], None, "england",
                 "no fee was asked for before it", id="fee-without-notice"),
    pytest.param("foi", D(2023, 6, 5), [ClarificationRequested(D(2023, 6, 4))], None, "england",
                 "before the request was received", id="event-before-receipt"),
    pytest.param("foi", D(2023, 6, 5), [ClarificationRequested(D(2023, 6, 7))], D(2023, 6, 6), "england",
                 "is in the future", id="event-after-today"),
    pytest.param("sar", D(2023, 6, 5), [], D(2023, 6, 4), "england",
                 "after today", id="receipt-after-today"),
    pytest.param("foi", D(2023, 6, 5), [ClarificationReceived(D(2023, 6, 7))], None, "england",
                 "no clarification was asked for", id="clarification-without-request"),
    pytest.param("sar", D(2023, 6, 5), [IdentityReceived(D(2023, 6, 7))], None, "england",
                 "no identity was asked for", id="id-without-request"),
    pytest.param("foi", D(2023, 6, 5), [IdentityRequested(D(2023, 6, 7))], None, "england",
                 "belongs to subject access", id="id-on-foi"),
    pytest.param("foi", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 6, 6)), FeeNoticeGiven(D(2023, 6, 7))], None,
                 "england", "already awaited", id="two-open-fee-notices"),
    # FOI extensions
    pytest.param("foi", D(2023, 6, 5), [ext(D(2023, 7, 4), PI, new_due=D(2023, 7, 31))], None, "england",
                 "too late: the requester must be told by the due date, Monday 3 July 2023", id="foi-late-notice"),
    pytest.param("foi", D(2023, 6, 5), [ext(D(2023, 6, 26), *CV, new_due=D(2023, 7, 31))], None, "england",
                 "only to consider the public interest", id="foi-complex-extension"),
    pytest.param("foi", D(2023, 6, 5), [ext(D(2023, 6, 26), PI)], None, "england",
                 "must give the new date", id="foi-extension-without-date"),
    pytest.param("foi", D(2023, 6, 5), [ext(D(2023, 6, 26), PI, new_due=D(2023, 7, 3))], None, "england",
                 "is not after the due date", id="foi-extension-not-later"),
    pytest.param("foi", D(2023, 6, 5), [ext(D(2023, 6, 26), PI, new_due=D(2023, 7, 31), reason="  ")], None,
                 "england", "must give the reason", id="extension-without-reason"),
    pytest.param("foi", D(2023, 6, 5),
                 [ext(D(2023, 6, 26), PI, new_due=D(2023, 7, 31)), ClarificationRequested(D(2023, 6, 27))], None,
                 "england", "after the extension notice", id="clarification-after-extension"),
    pytest.param("foi", D(2023, 6, 5),
                 [ClarificationRequested(D(2023, 6, 7)), ext(D(2023, 6, 26), PI, new_due=D(2023, 7, 31))], None,
                 "england", "stopped awaiting the clarification", id="extension-while-awaiting-clarification"),
    # EIR extensions
    pytest.param("eir", D(2023, 6, 5), [ext(D(2023, 6, 30), "complex")], None, "england",
                 "both complex and voluminous", id="eir-complex-only"),
    pytest.param("eir", D(2023, 6, 5), [ext(D(2023, 6, 30), "voluminous")], None, "england",
                 "both complex and voluminous", id="eir-voluminous-only"),
    pytest.param("eir", D(2023, 6, 5), [ext(D(2023, 6, 30), PI, new_due=D(2023, 7, 31))], None, "england",
                 "EIR has no public-interest extension", id="eir-public-interest"),
    pytest.param("eir", D(2023, 6, 5), [ext(D(2023, 7, 4), *CV)], None, "england",
                 "too late", id="eir-late-notice"),
    pytest.param("eir", D(2023, 6, 5), [ext(D(2023, 6, 30), *CV, new_due=D(2023, 8, 2))], None, "england",
                 "the 40th working day, Tuesday 1 August 2023", id="eir-wrong-date"),
    pytest.param("eir", D(2023, 6, 5), [ext(D(2023, 6, 20), *CV), ext(D(2023, 6, 30), *CV)], None, "england",
                 "already extended", id="eir-second-extension"),
    # SAR extensions
    pytest.param("sar", D(2025, 1, 31), [ext(D(2025, 3, 1), "complex")], None, "england",
                 "within the first month, by Friday 28 February 2025", id="sar-late-notice"),
    pytest.param("sar", D(2025, 1, 31), [ext(D(2025, 2, 10), PI)], None, "england",
                 "complexity or the number of requests", id="sar-public-interest"),
    pytest.param("sar", D(2025, 1, 31), [ext(D(2025, 2, 10), "complex", new_due=D(2025, 5, 1))], None, "england",
                 "three months from the start: Wednesday 30 April 2025", id="sar-wrong-date"),
    # Bad values
    pytest.param("fio", D(2023, 6, 5), [], None, "england", "request type 'fio'", id="unknown-type"),
    pytest.param("sar", D(2023, 6, 5), [], None, "cornwall", "nation 'cornwall'", id="unknown-nation"),
    pytest.param("sar", datetime(2023, 6, 5, 10, 0), [], None, "england", "must be a date", id="datetime-receipt"),
    pytest.param("sar", D(2023, 6, 5), ["2023-06-07"], None, "england", "is not a clock event", id="not-an-event"),
]


@pytest.mark.parametrize(("kind", "received", "events", "today", "nation", "message"), ERRORS)
def test_impossible_events_are_clear_errors(kind, received, events, today, nation, message):
    with pytest.raises(ClockError, match=message) as info:
        clock = RequestClock(kind, received, events, nation=nation)
        if today is not None:
            clock.evaluate(today)
    assert isinstance(info.value, CouncilguardError)


def test_unknown_extension_ground_is_a_clear_error():
    with pytest.raises(ClockError, match="grounds are public-interest, complex, voluminous, number-of-requests"):
        ExtensionNotice(D(2023, 6, 26), frozenset({"urgent"}), "why")


def test_sar_identity_asked_for_after_the_due_date_warns():
    # Received Wed 3 Sep 2025, due Fri 3 Oct; ID asked Mon 6 Oct and received Tue 7 Oct: the law starts
    # the month at the later day (Tue 7 Oct -> Fri 7 Nov), but the Clerk is told it came too late.
    clock = RequestClock("sar", D(2025, 9, 3), [IdentityRequested(D(2025, 10, 6)), IdentityReceived(D(2025, 10, 7))])
    assert clock.due_date() == D(2025, 11, 7)
    assert any("after the due date Friday 3 October 2025" in w for w in clock.warnings)


def test_foi_fee_notice_after_the_due_date_warns():
    clock = RequestClock("foi", D(2023, 6, 5), [FeeNoticeGiven(D(2023, 7, 4)), FeeReceived(D(2023, 7, 5))])
    assert any("after the due date Monday 3 July 2023" in w for w in clock.warnings)
