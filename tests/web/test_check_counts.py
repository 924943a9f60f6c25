"""The anonymous counter: per day, per verdict, and nothing else."""

from __future__ import annotations

from datetime import date

from sqlalchemy import inspect

from councilguard.records import db
from councilguard.web.check_counts import CheckCounts


def test_counts_per_day_and_verdict(db_path):
    engine = db.make_engine(f"sqlite:///{db_path}")
    try:
        counts = CheckCounts(db.sessions(engine))
        monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
        for day, verdict in [(monday, "ok"), (monday, "ok"), (monday, "block"), (tuesday, "warn")]:
            counts.add(verdict, day)
        assert counts.on(monday) == {"ok": 2, "block": 1}
        assert counts.on(tuesday) == {"warn": 1}
        assert counts.on(date(2026, 11, 25)) == {}
        columns = {c["name"] for c in inspect(engine).get_columns("web_check_counts")}
        assert columns == {"day", "verdict", "count"}  # no room for text, author or time
    finally:
        engine.dispose()
