"""Independent audit of the request clocks: NEW due dates counted BY HAND, none taken from the code.

The bank holidays used (Monday-Friday ones only; written out from the GOV.UK lists and the
proclamations, not from the ``holidays`` package):

    England & Wales
      2019: 1 Jan, 19 Apr GF, 22 Apr EM, 6 May, 27 May, 26 Aug, 25, 26 Dec
      2020: 1 Jan, 10 Apr GF, 13 Apr EM, 8 May (VE Day, moved early May), 25 May, 31 Aug, 25, 28 Dec
      2021: 1 Jan, 2 Apr GF, 5 Apr EM, 3 May, 31 May, 30 Aug, 27, 28 Dec
      2022: 3 Jan, 15 Apr, 18 Apr, 2 May, 2 Jun, 3 Jun, 29 Aug, 19 Sep, 26, 27 Dec
      2023: 2 Jan, 7 Apr, 10 Apr, 1 May, 8 May, 29 May, 28 Aug, 25, 26 Dec
      2024: 1 Jan, 29 Mar GF, 1 Apr EM, 6 May, 27 May, 26 Aug, 25, 26 Dec
      2025: 1 Jan, 18 Apr GF, 21 Apr EM, 5 May, 26 May, 25 Aug, 25, 26 Dec
      2026: 1 Jan, 3 Apr GF, 6 Apr EM, 4 May, 25 May, 31 Aug, 25, 28 Dec
      2027: 1 Jan, 26 Mar GF, 29 Mar EM, 3 May, 31 May, 30 Aug, 27, 28 Dec
      2028: 3 Jan, 14 Apr GF, 17 Apr EM, 1 May, 29 May, 28 Aug, 25, 26 Dec
    Scotland (no Easter Monday; 2 January; first Monday of August; St Andrew's Day)
      2019: 1, 2 Jan, 19 Apr, 6, 27 May, 5 Aug, 2 Dec (30 Nov a Sat), 25, 26 Dec
      2020: 1, 2 Jan, 10 Apr, 8, 25 May, 3 Aug, 30 Nov, 25, 28 Dec
      2021: 1, 4 Jan (2 Jan a Sat), 2 Apr, 3, 31 May, 2 Aug, 30 Nov, 27, 28 Dec
      2024: 1, 2 Jan, 29 Mar, 6, 27 May, 5 Aug, 2 Dec (30 Nov a Sat), 25, 26 Dec
      2025: 1, 2 Jan, 18 Apr, 5, 26 May, 4 Aug, 1 Dec (30 Nov a Sun), 25, 26 Dec
      2026: 1, 2 Jan, 3 Apr, 4, 25 May, 3 Aug, 30 Nov, 25, 28 Dec  (15 Jun: not used below)
      2027: 1, 4 Jan (2 Jan a Sat), 26 Mar, 3, 31 May, 2 Aug, 30 Nov, 27, 28 Dec
      2028: 3, 4 Jan (1 Jan Sat, 2 Jan Sun), 14 Apr, 1, 29 May, 7 Aug, 30 Nov, 25, 26 Dec
    Northern Ireland (England's list plus St Patrick's Day and the Battle of the Boyne)
      St Patrick's: Mon 18 Mar 2019 (17th a Sun), Tue 17 Mar 2020, Wed 17 Mar 2021, Mon 18 Mar 2024
        (17th a Sun), Mon 17 Mar 2025, Tue 17 Mar 2026, Wed 17 Mar 2027, Fri 17 Mar 2028
      Boyne: Fri 12 Jul 2019, Mon 13 Jul 2020 (12th a Sun), Mon 12 Jul 2021, Mon 14 Jul 2025 (12th a
        Sat), Mon 13 Jul 2026 (12th a Sun), Mon 12 Jul 2027, Wed 12 Jul 2028

FOI / EIR count on the union of the three lists. "X + 28" is the shortcut for a weekday receipt
(four weeks = 20 working days) and "Sat + 27" for a Saturday receipt; every non-working weekday in
the window then pushes the date one more working day (and any holiday met while pushing is skipped
too). Each long window is also counted day by day in the row's comment. Subject access: the
corresponding date one month on (or that month's last day), plus clarification days (asking day to
answer day, both included), then the next working day of the council's own nation.
"""

from __future__ import annotations

from datetime import date

import pytest

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
)
from councilguard.records.working_days import UKCalendar

D = date
OPEN, AWAIT_FEE, LAPSED = ClockStatus.OPEN, ClockStatus.AWAITING_FEE, ClockStatus.LAPSED
CV = ("complex", "voluminous")


def ext(on, *grounds, new_due=None, reason="needs the full council"):
    return ExtensionNotice(on, frozenset(grounds), reason, new_due)


# (kind, nation, received, events, today, expected due, expected status)
AUDIT_ROWS = [
    # ================= FOI / EIR across Christmas and New Year (all-UK calendar) ==================
    # Thu 19 Dec 2019: Fri 20 (1), Mon 23 (2), Tue 24 (3), Wed 25 + Thu 26 out, Fri 27 (4), Mon 30 (5),
    # Tue 31 (6), Wed 1 Jan + Thu 2 Jan (Scotland) out, Fri 3 (7), 6-10 (12), 13-17 (17), Mon 20 (18),
    # Tue 21 (19), Wed 22 Jan 2020 (20).
    pytest.param("foi", "england", D(2019, 12, 19), [], D(2019, 12, 19), D(2020, 1, 22), OPEN, id="foi-xmas-2019"),
    # Fri 18 Dec 2020: 21-24 (4), Fri 25 + Mon 28 (Boxing Day substitute) out, 29-31 (7), Fri 1 Jan out,
    # Mon 4 Jan out (Scotland: 2 Jan a Sat), 5-8 (11), 11-15 (16), 18-21 -> Thu 21 Jan 2021 (20).
    pytest.param("foi", "wales", D(2020, 12, 18), [], D(2020, 12, 18), D(2021, 1, 21), OPEN, id="foi-xmas-2020-scot-2jan-sub"),
    # Wed 22 Dec 2021: Thu 23 (1), Fri 24 (2), Mon 27 + Tue 28 (substitutes) out, 29-31 (5), Mon 3 Jan
    # (New Year sub) + Tue 4 Jan (Scotland 2 Jan sub) out, 5-7 (8), 10-14 (13), 17-21 (18), Mon 24 (19),
    # Tue 25 Jan 2022 (20). Check: X+28 = Wed 19 Jan + 4 = Tue 25 Jan.
    pytest.param("foi", "northern-ireland", D(2021, 12, 22), [], D(2021, 12, 22), D(2022, 1, 25), OPEN, id="foi-xmas-2021-all-subs"),
    # Received Sun 24 Dec 2023 (weekend receipt): Mon 25 + Tue 26 out, 27-29 (3), Mon 1 + Tue 2 Jan
    # (Scotland) out, 3-5 (6), 8-12 (11), 15-19 (16), 22-25 -> Thu 25 Jan 2024 (20).
    pytest.param("foi", "england", D(2023, 12, 24), [], D(2023, 12, 27), D(2024, 1, 25), OPEN, id="foi-sunday-receipt-xmas-2023"),
    # Received Thu 25 Dec 2025 (Christmas Day itself): Fri 26 out, 29-31 (3), Thu 1 + Fri 2 Jan (Scotland)
    # out, 5-9 (8), 12-16 (13), 19-23 (18), Mon 26 (19), Tue 27 Jan 2026 (20).
    pytest.param("foi", "england", D(2025, 12, 25), [], D(2025, 12, 29), D(2026, 1, 27), OPEN, id="foi-christmas-day-receipt-2025"),
    # EIR Fri 19 Dec 2025: 22-24 (3), 25 + 26 out, 29-31 (6), 1 + 2 Jan out, 5-9 (11), 12-16 (16),
    # 19-22 -> Thu 22 Jan 2026 (20). Check: X+28 = Fri 16 Jan + 4.
    pytest.param("eir", "scotland", D(2025, 12, 19), [], D(2025, 12, 19), D(2026, 1, 22), OPEN, id="eir-xmas-2025"),
    # Mon 29 Dec 2025: Tue 30 (1), Wed 31 (2), Thu 1 + Fri 2 Jan out, 5-9 (7), 12-16 (12), 19-23 (17),
    # 26-28 -> Wed 28 Jan 2026 (20). The Scottish 2 January alone adds a day for an English council.
    pytest.param("foi", "england", D(2025, 12, 29), [], D(2025, 12, 29), D(2026, 1, 28), OPEN, id="foi-scot-2jan-2026"),
    # Fri 18 Dec 2026: 21-24 (4), Fri 25 + Mon 28 (Boxing Day sub) out, 29-31 (7), Fri 1 Jan out, Mon 4 Jan
    # (Scotland: 2 Jan a Sat) out, 5-8 (11), 11-15 (16), 18-21 -> Thu 21 Jan 2027 (20).
    pytest.param("foi", "england", D(2026, 12, 18), [], D(2026, 12, 18), D(2027, 1, 21), OPEN, id="foi-xmas-2026"),
    # Mon 20 Dec 2027: 21-24 (4), Mon 27 + Tue 28 (Christmas Sat, Boxing Day Sun) out, 29-31 (7), Mon 3 Jan
    # (1 Jan a Sat) + Tue 4 Jan (Scotland, 2 Jan a Sun) out, 5-7 (10), 10-14 (15), 17-21 -> Fri 21 Jan 2028.
    pytest.param("foi", "england", D(2027, 12, 20), [], D(2027, 12, 20), D(2028, 1, 21), OPEN, id="foi-xmas-2027"),
    # Sat 30 Nov 2024 (St Andrew's Day on a Saturday, received that day): Mon 2 Dec (substitute) out,
    # 3-6 (4), 9-13 (9), 16-20 (14), Mon 23 (15), Tue 24 (16), 25 + 26 out, Fri 27 (17), Mon 30 (18),
    # Tue 31 (19), Wed 1 + Thu 2 Jan out, Fri 3 Jan 2025 (20).
    pytest.param("foi", "england", D(2024, 11, 30), [], D(2024, 12, 2), D(2025, 1, 3), OPEN, id="foi-standrew-saturday-into-xmas-2024"),
    # ================= Easter, early and late ====================================================
    # Mon 15 Mar 2027 (Easter 28 Mar): Tue 16 (1), Wed 17 St Patrick's out, 18-19 (3), 22-25 (7), Fri 26 GF
    # + Mon 29 EM out, 30 Mar-2 Apr (11), 5-9 (16), 12-15 -> Thu 15 Apr 2027 (20).
    pytest.param("foi", "england", D(2027, 3, 15), [], D(2027, 3, 15), D(2027, 4, 15), OPEN, id="foi-early-easter-2027"),
    # Wed 5 Apr 2028 (Easter 16 Apr): 6-7 (2), 10-13 (6), Fri 14 + Mon 17 out, 18-21 (10), 24-28 (15),
    # Mon 1 May out, 2-5 (19), Mon 8 May 2028 (20).
    pytest.param("foi", "wales", D(2028, 4, 5), [], D(2028, 4, 5), D(2028, 5, 8), OPEN, id="foi-late-easter-2028"),
    # EIR received on Good Friday, Fri 18 Apr 2025: Mon 21 EM out, 22-25 (4), 28 Apr-2 May (9), Mon 5 May
    # out, 6-9 (13), 12-16 (18), Mon 19 (19), Tue 20 May 2025 (20).
    pytest.param("eir", "england", D(2025, 4, 18), [], D(2025, 4, 22), D(2025, 5, 20), OPEN, id="eir-good-friday-receipt-2025"),
    # Received Sat 3 Apr 2021 (Easter Saturday): Mon 5 EM out, 6-9 (4), 12-16 (9), 19-23 (14), 26-30 (19),
    # Mon 3 May out, Tue 4 May 2021 (20).
    pytest.param("foi", "england", D(2021, 4, 3), [], D(2021, 4, 6), D(2021, 5, 4), OPEN, id="foi-easter-saturday-2021"),
    # Thu 9 Apr 2020: Fri 10 GF + Mon 13 EM out, 14-17 (4), 20-24 (9), 27 Apr-1 May (14), 4-7 (18),
    # Fri 8 May (VE Day, the moved early May holiday) out, Mon 11 (19), Tue 12 May 2020 (20).
    pytest.param("foi", "england", D(2020, 4, 9), [], D(2020, 4, 9), D(2020, 5, 12), OPEN, id="foi-easter-ve-day-2020"),
    # ================= St Andrew's, St Patrick's, Boyne, Scottish August =========================
    # Mon 18 Nov 2019 + 28 = Mon 16 Dec; Mon 2 Dec (St Andrew's substitute, 30 Nov a Sat) -> Tue 17 Dec 2019.
    pytest.param("foi", "england", D(2019, 11, 18), [], D(2019, 11, 18), D(2019, 12, 17), OPEN, id="foi-standrew-sub-2019"),
    # Tue 24 Nov 2026 + 28 = Tue 22 Dec; Mon 30 Nov (St Andrew's) -> Wed 23 Dec 2026.
    pytest.param("foi", "northern-ireland", D(2026, 11, 24), [], D(2026, 11, 24), D(2026, 12, 23), OPEN, id="foi-standrew-2026"),
    # Fri 27 Nov 2020: Mon 30 Nov out, 1-4 Dec (4), 7-11 (9), 14-18 (14), 21-24 (18), Fri 25 + Mon 28 out,
    # Tue 29 (19), Wed 30 Dec 2020 (20).
    pytest.param("foi", "england", D(2020, 11, 27), [], D(2020, 11, 27), D(2020, 12, 30), OPEN, id="foi-standrew-and-xmas-2020"),
    # Fri 8 Mar 2019 + 28 = Fri 5 Apr; Mon 18 Mar (St Patrick's substitute, 17th a Sun) -> Mon 8 Apr 2019.
    pytest.param("foi", "scotland", D(2019, 3, 8), [], D(2019, 3, 8), D(2019, 4, 8), OPEN, id="foi-stpatrick-sub-2019"),
    # Mon 9 Mar 2026: 10-13 (4), Mon 16 (5), Tue 17 St Patrick's out, 18-20 (8), 23-27 (13), 30 Mar-2 Apr
    # (17), Fri 3 GF + Mon 6 EM out, 7-9 -> Thu 9 Apr 2026 (20).
    pytest.param("foi", "england", D(2026, 3, 9), [], D(2026, 3, 9), D(2026, 4, 9), OPEN, id="foi-stpatrick-easter-2026"),
    # EIR Wed 1 Jul 2026 + 28 = Wed 29 Jul; Mon 13 Jul (Boyne substitute, 12th a Sun) -> Thu 30 Jul 2026.
    pytest.param("eir", "wales", D(2026, 7, 1), [], D(2026, 7, 1), D(2026, 7, 30), OPEN, id="eir-boyne-sub-2026"),
    # Fri 10 Jul 2020 + 28 = Fri 7 Aug; Mon 13 Jul (Boyne sub) and Mon 3 Aug (Scotland) -> Mon 10, Tue 11 Aug.
    pytest.param("foi", "england", D(2020, 7, 10), [], D(2020, 7, 10), D(2020, 8, 11), OPEN, id="foi-boyne-sub-scot-august-2020"),
    # Fri 30 Jul 2027: Mon 2 Aug (Scotland) out, 3-6 (4), 9-13 (9), 16-20 (14), 23-27 (19), Mon 30 Aug
    # (E&W/NI) out, Tue 31 Aug 2027 (20).
    pytest.param("foi", "scotland", D(2027, 7, 30), [], D(2027, 7, 30), D(2027, 8, 31), OPEN, id="foi-both-augusts-2027"),
    # ================= Clarification, fees, extensions ============================================
    # Received Mon 2 Nov 2026, asked Wed 4 Nov, answered Sat 21 Nov: 20 afresh from the Saturday: 23-27 (5),
    # Mon 30 Nov out, 1-4 Dec (9), 7-11 (14), 14-18 (19), Mon 21 Dec 2026 (20).
    pytest.param("foi", "england", D(2026, 11, 2),
                 [ClarificationRequested(D(2026, 11, 4)), ClarificationReceived(D(2026, 11, 21))],
                 D(2026, 11, 23), D(2026, 12, 21), OPEN, id="foi-clarification-on-saturday-2026"),
    # Received Mon 7 Dec 2026: Tue 8 (1), Wed 9 (2); notice Thu 10 Dec .. fee Tue 5 Jan 2027 disregarded;
    # Wed 6 (3), Thu 7 (4), Fri 8 (5), 11-15 (10), 18-22 (15), 25-29 -> Fri 29 Jan 2027 (20).
    pytest.param("foi", "england", D(2026, 12, 7), [FeeNoticeGiven(D(2026, 12, 10)), FeeReceived(D(2027, 1, 5))],
                 D(2027, 1, 5), D(2027, 1, 29), OPEN, id="foi-fee-over-christmas-2026"),
    # Received Wed 2 Jun 2027: Thu 3 (1), Fri 4 (2); notice Sat 5 Jun .. fee Mon 14 Jun disregarded;
    # 15-18 (6), 21-25 (11), 28 Jun-2 Jul (16), 5-8 -> Thu 8 Jul 2027 (20); the Boyne (Mon 12 Jul) after.
    pytest.param("foi", "england", D(2027, 6, 2), [FeeNoticeGiven(D(2027, 6, 5)), FeeReceived(D(2027, 6, 14))],
                 D(2027, 6, 14), D(2027, 7, 8), OPEN, id="foi-fee-notice-on-saturday-2027"),
    # Notice Fri 29 Nov 2024: three months beginning with it; no 29 Feb 2025, so the last day is Fri 28 Feb.
    pytest.param("foi", "england", D(2024, 11, 29), [FeeNoticeGiven(D(2024, 11, 29))],
                 D(2025, 2, 28), None, AWAIT_FEE, id="foi-fee-last-day-non-leap"),
    # ... and lapsed on Sat 1 Mar 2025.
    pytest.param("foi", "england", D(2024, 11, 29), [FeeNoticeGiven(D(2024, 11, 29))],
                 D(2025, 3, 1), None, LAPSED, id="foi-fee-lapsed-non-leap"),
    # EIR Mon 23 Nov 2026, complex and voluminous, notice Fri 18 Dec (20th day is Tue 22 Dec). 40th:
    # 24-27 Nov (4), Mon 30 out, 1-4 Dec (8), 7-11 (13), 14-18 (18), 21-24 (22), Fri 25 + Mon 28 out,
    # 29-31 (25), Fri 1 + Mon 4 Jan out, 5-8 (29), 11-15 (34), 18-22 (39), Mon 25 Jan 2027 (40).
    pytest.param("eir", "england", D(2026, 11, 23), [ext(D(2026, 12, 18), *CV, reason="decades of plans")],
                 D(2026, 12, 18), D(2027, 1, 25), OPEN, id="eir-40-days-over-christmas-2026"),
    # FOI Mon 23 Nov 2026, due Tue 22 Dec; public-interest notice Mon 14 Dec to Mon 25 Jan 2027 (exactly 20
    # further working days: 23, 24, 29, 30, 31 Dec, 5-8, 11-15, 18-22, 25 Jan).
    pytest.param("foi", "england", D(2026, 11, 23),
                 [ext(D(2026, 12, 14), "public-interest", new_due=D(2027, 1, 25))],
                 D(2026, 12, 14), D(2027, 1, 25), OPEN, id="foi-pi-extension-over-christmas-2026"),
    # ================= Subject access: month ends, leap years =====================================
    # Sat 29 Jan 2028 -> Tue 29 Feb 2028 (leap year: the date exists).
    pytest.param("sar", "england", D(2028, 1, 29), [], D(2028, 1, 31), D(2028, 2, 29), OPEN, id="sar-29-jan-leap-2028"),
    # Sun 30 Jan 2028 -> no 30 Feb -> Tue 29 Feb 2028.
    pytest.param("sar", "wales", D(2028, 1, 30), [], D(2028, 1, 31), D(2028, 2, 29), OPEN, id="sar-30-jan-leap-2028"),
    # Mon 31 Jan 2028 -> no 31 Feb -> Tue 29 Feb 2028.
    pytest.param("sar", "scotland", D(2028, 1, 31), [], D(2028, 1, 31), D(2028, 2, 29), OPEN, id="sar-31-jan-leap-2028"),
    # Fri 29 Jan 2027 -> no 29 Feb -> Sun 28 Feb -> Mon 1 Mar 2027.
    pytest.param("sar", "england", D(2027, 1, 29), [], D(2027, 1, 29), D(2027, 3, 1), OPEN, id="sar-29-jan-non-leap-2027"),
    # Sat 30 Jan 2027 -> no 30 Feb -> Sun 28 Feb -> Mon 1 Mar 2027.
    pytest.param("sar", "northern-ireland", D(2027, 1, 30), [], D(2027, 2, 1), D(2027, 3, 1), OPEN, id="sar-30-jan-non-leap-2027"),
    # Tue 29 Feb 2028 -> Wed 29 Mar 2028.
    pytest.param("sar", "england", D(2028, 2, 29), [], D(2028, 2, 29), D(2028, 3, 29), OPEN, id="sar-29-feb-2028"),
    # ================= Subject access: due date on a holiday of the council's own nation ==========
    # Fri 26 Feb 2027 -> Fri 26 Mar, Good Friday; Sat, Sun, Mon 29 Easter Monday (Wales) -> Tue 30 Mar 2027.
    pytest.param("sar", "wales", D(2027, 2, 26), [], D(2027, 2, 26), D(2027, 3, 30), OPEN, id="sar-good-friday-wales-2027"),
    # Same in Scotland: Easter Monday is a working day there -> Mon 29 Mar 2027.
    pytest.param("sar", "scotland", D(2027, 2, 26), [], D(2027, 2, 26), D(2027, 3, 29), OPEN, id="sar-good-friday-scotland-2027"),
    # Sun 28 Feb 2027 -> Sun 28 Mar (Easter Day) -> Mon 29 EM in NI -> Tue 30 Mar 2027.
    pytest.param("sar", "northern-ireland", D(2027, 2, 28), [], D(2027, 3, 1), D(2027, 3, 30), OPEN, id="sar-easter-day-ni-2027"),
    # Wed 17 Feb 2027 -> Wed 17 Mar, St Patrick's Day -> NI: Thu 18 Mar 2027.
    pytest.param("sar", "northern-ireland", D(2027, 2, 17), [], D(2027, 2, 17), D(2027, 3, 18), OPEN, id="sar-stpatrick-ni-2027"),
    # Same in England: Wed 17 Mar 2027 is a working day.
    pytest.param("sar", "england", D(2027, 2, 17), [], D(2027, 2, 17), D(2027, 3, 17), OPEN, id="sar-stpatrick-england-2027"),
    # Sat 17 Feb 2024 -> Sun 17 Mar -> Mon 18 Mar (NI substitute) -> Tue 19 Mar 2024.
    pytest.param("sar", "northern-ireland", D(2024, 2, 17), [], D(2024, 2, 19), D(2024, 3, 19), OPEN, id="sar-stpatrick-sub-ni-2024"),
    # Same in Wales -> Mon 18 Mar 2024.
    pytest.param("sar", "wales", D(2024, 2, 17), [], D(2024, 2, 19), D(2024, 3, 18), OPEN, id="sar-stpatrick-sub-wales-2024"),
    # Mon 12 Jun 2028 -> Wed 12 Jul (Boyne) -> NI: Thu 13 Jul 2028.
    pytest.param("sar", "northern-ireland", D(2028, 6, 12), [], D(2028, 6, 12), D(2028, 7, 13), OPEN, id="sar-boyne-ni-2028"),
    # Fri 12 Jun 2026 -> Sun 12 Jul -> Mon 13 (NI Boyne substitute) -> NI: Tue 14 Jul 2026.
    pytest.param("sar", "northern-ireland", D(2026, 6, 12), [], D(2026, 6, 12), D(2026, 7, 14), OPEN, id="sar-boyne-sub-ni-2026"),
    # Same in Scotland -> Mon 13 Jul 2026.
    pytest.param("sar", "scotland", D(2026, 6, 12), [], D(2026, 6, 12), D(2026, 7, 13), OPEN, id="sar-boyne-sub-scotland-2026"),
    # Fri 30 Oct 2026 -> Mon 30 Nov (St Andrew's) -> Scotland: Tue 1 Dec 2026.
    pytest.param("sar", "scotland", D(2026, 10, 30), [], D(2026, 10, 30), D(2026, 12, 1), OPEN, id="sar-standrew-scotland-2026"),
    # Same in Wales -> Mon 30 Nov 2026.
    pytest.param("sar", "wales", D(2026, 10, 30), [], D(2026, 10, 30), D(2026, 11, 30), OPEN, id="sar-standrew-wales-2026"),
    # Wed 2 Dec 2026 -> Sat 2 Jan 2027 -> Scotland: Sun 3, Mon 4 (2 January substitute) -> Tue 5 Jan 2027.
    pytest.param("sar", "scotland", D(2026, 12, 2), [], D(2026, 12, 2), D(2027, 1, 5), OPEN, id="sar-2jan-sub-scotland-2027"),
    # Same in England -> Mon 4 Jan 2027.
    pytest.param("sar", "england", D(2026, 12, 2), [], D(2026, 12, 2), D(2027, 1, 4), OPEN, id="sar-2jan-sub-england-2027"),
    # Thu 25 Nov 2027 -> Sat 25 Dec -> Sun, Mon 27 + Tue 28 (substitutes) -> Wed 29 Dec 2027.
    pytest.param("sar", "wales", D(2027, 11, 25), [], D(2027, 11, 25), D(2027, 12, 29), OPEN, id="sar-christmas-2027"),
    # Fri 30 Jul 2027 -> Mon 30 Aug (summer bank holiday in Wales) -> Tue 31 Aug 2027.
    pytest.param("sar", "wales", D(2027, 7, 30), [], D(2027, 7, 30), D(2027, 8, 31), OPEN, id="sar-august-wales-2027"),
    # Same in Scotland (its August holiday was Mon 2 Aug) -> Mon 30 Aug 2027.
    pytest.param("sar", "scotland", D(2027, 7, 30), [], D(2027, 7, 30), D(2027, 8, 30), OPEN, id="sar-august-scotland-2027"),
    # Fri 2 Jul 2027 -> Mon 2 Aug (Scotland's first Monday) -> Scotland: Tue 3 Aug 2027.
    pytest.param("sar", "scotland", D(2027, 7, 2), [], D(2027, 7, 2), D(2027, 8, 3), OPEN, id="sar-scot-august-2027"),
    # ================= Subject access: pauses, identity, fee, extension ===========================
    # Tue 1 Feb 2028; asked Wed 2 Feb, answered Sun 6 Feb: 2,3,4,5,6 = 5 days. Wed 1 Mar + 5 = Mon 6 Mar.
    pytest.param("sar", "england", D(2028, 2, 1),
                 [ClarificationRequested(D(2028, 2, 2)), ClarificationReceived(D(2028, 2, 6))],
                 D(2028, 2, 7), D(2028, 3, 6), OPEN, id="sar-clarification-weekend-answer-2028"),
    # Mon 1 Nov 2027, ID asked Tue 2 Nov, arrives Sat 27 Nov -> Mon 27 Dec (substitute) -> Tue 28 (sub)
    # -> Wed 29 Dec 2027.
    pytest.param("sar", "wales", D(2027, 11, 1), [IdentityRequested(D(2027, 11, 2)), IdentityReceived(D(2027, 11, 27))],
                 D(2027, 11, 29), D(2027, 12, 29), OPEN, id="sar-id-into-christmas-2027"),
    # Tue 4 Jan 2028 (a Scottish holiday), ID and fee asked Wed 5 Jan, ID in Mon 10, fee Fri 14 Jan: the
    # latest is Fri 14 Jan -> Mon 14 Feb 2028.
    pytest.param("sar", "scotland", D(2028, 1, 4),
                 [IdentityRequested(D(2028, 1, 5)), FeeNoticeGiven(D(2028, 1, 5)),
                  IdentityReceived(D(2028, 1, 10)), FeeReceived(D(2028, 1, 14))],
                 D(2028, 1, 14), D(2028, 2, 14), OPEN, id="sar-id-and-fee-latest-2028"),
    # Fri 31 Mar 2028, notice Wed 26 Apr (before Sun 30 Apr): three months, no 31 Jun -> Fri 30 Jun 2028.
    pytest.param("sar", "england", D(2028, 3, 31), [ext(D(2028, 4, 26), "complex", reason="five systems")],
                 D(2028, 4, 26), D(2028, 6, 30), OPEN, id="sar-extension-month-end-2028"),
    # Tue 26 Sep 2028, notice Fri 20 Oct: three months -> Tue 26 Dec (Boxing Day) -> Wed 27 Dec 2028.
    pytest.param("sar", "england", D(2028, 9, 26), [ext(D(2028, 10, 20), "number-of-requests", reason="six requests")],
                 D(2028, 10, 20), D(2028, 12, 27), OPEN, id="sar-extension-boxing-day-2028"),
]


@pytest.mark.parametrize(("kind", "nation", "received", "events", "today", "due", "status"), AUDIT_ROWS)
def test_audit_due_date_and_status(kind, nation, received, events, today, due, status):
    clock = RequestClock(kind, received, events, nation=nation)
    reading = clock.evaluate(today)
    assert (reading.due, reading.status) == (due, status)


def test_audit_table_size():
    assert len(AUDIT_ROWS) >= 30


def test_pi_extension_one_day_past_twenty_more_working_days_warns_over_christmas():
    # Due Tue 22 Dec 2026; 20 further working days end Mon 25 Jan 2027 (see the table row), so Tue 26 Jan
    # warns and names Monday 25 January 2027.
    notice = [ExtensionNotice(D(2026, 12, 14), frozenset({"public-interest"}), "board meets", D(2027, 1, 26))]
    clock = RequestClock("foi", D(2026, 11, 23), notice)
    assert clock.due_date() == D(2027, 1, 26)
    assert len(clock.warnings) == 1 and "Monday 25 January 2027" in clock.warnings[0]
    within = [ExtensionNotice(D(2026, 12, 14), frozenset({"public-interest"}), "board meets", D(2027, 1, 25))]
    assert RequestClock("foi", D(2026, 11, 23), within).warnings == ()


def test_eir_extension_after_the_twentieth_day_is_refused():
    # EIR Mon 23 Nov 2026: the 20th working day is Tue 22 Dec 2026; a notice on Wed 23 Dec is too late.
    with pytest.raises(ClockError, match="too late"):
        RequestClock("eir", D(2026, 11, 23), [ext(D(2026, 12, 23), *CV)])
    # ...and on the 20th day itself it is in time.
    assert RequestClock("eir", D(2026, 11, 23), [ext(D(2026, 12, 22), *CV)]).due_date() == D(2027, 1, 25)


def test_foi_has_no_complexity_extension_and_eir_has_no_public_interest_one():
    with pytest.raises(ClockError):
        RequestClock("foi", D(2026, 11, 23), [ext(D(2026, 12, 1), *CV, new_due=D(2027, 1, 25))])
    with pytest.raises(ClockError):
        RequestClock("eir", D(2026, 11, 23), [ext(D(2026, 12, 1), "public-interest")])
    with pytest.raises(ClockError):  # EIR needs both complex AND voluminous
        RequestClock("eir", D(2026, 11, 23), [ext(D(2026, 12, 1), "complex")])


def test_sar_extension_notice_after_the_first_month_is_refused():
    # Fri 31 Mar 2028: the first month ends Sun 30 Apr 2028; a notice on Mon 1 May is too late.
    with pytest.raises(ClockError, match="too late"):
        RequestClock("sar", D(2028, 3, 31), [ext(D(2028, 5, 1), "complex")])


@pytest.mark.parametrize(
    ("scope", "day", "working"),
    [
        # The library must know 2027 and 2028 (hand list above).
        ("uk", D(2027, 1, 4), False),  # Scotland's 2 January substitute
        ("england", D(2027, 1, 4), True),
        ("uk", D(2027, 3, 17), False),  # St Patrick's, a Wednesday
        ("uk", D(2027, 12, 28), False),  # Boxing Day substitute
        ("scotland", D(2028, 1, 4), False),  # 2 January (a Sunday) substitute
        ("northern-ireland", D(2028, 1, 4), True),
        ("scotland", D(2028, 4, 17), True),  # no Easter Monday in Scotland
        ("wales", D(2028, 4, 17), False),
        ("uk", D(2028, 8, 7), False),  # Scotland's first Monday of August
        ("scotland", D(2028, 8, 28), True),
        ("uk", D(2028, 11, 30), False),  # St Andrew's, a Thursday
    ],
)
def test_calendar_knows_2027_and_2028(scope, day, working):
    assert UKCalendar().is_working_day(day, scope) is working
