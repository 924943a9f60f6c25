"""The retention schedule in the database: the packaged defaults until a period is changed, then versions,
newest in force; a period that cannot be used is refused naming the class and field."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from councilguard.records import db, schedule_store
from councilguard.records.archive_errors import RetentionScheduleError
from councilguard.records.retention_schedule import load_schedule

AT = datetime(2026, 11, 26, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
def sessions(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'archive.db'}")
    db.upgrade(engine)
    yield db.sessions(engine)
    engine.dispose()


def test_the_packaged_schedule_is_in_force_until_one_is_saved(sessions):
    with sessions() as s:
        first = schedule_store.current(s)
    assert first.version is None and first.schedule == load_schedule().schedule


def test_versions_are_added_and_the_newest_is_in_force(sessions):
    defaults = load_schedule().schedule
    longer = schedule_store.with_period(defaults, "complaints", years=7, counted_from="end-of-year")
    for_ever = schedule_store.with_period(longer, "planning", permanent=True, years=3)
    with sessions() as s:
        one = schedule_store.add(s, longer, by="clerk@example.org", change="complaints: 6 -> 7 years", at=AT)
        two = schedule_store.add(s, for_ever, by="clerk@example.org", change="planning: permanent", at=AT)
        s.commit()
    with sessions() as s:
        now = schedule_store.current(s)
    assert (one.version, two.version, now.version, now.change) == (1, 2, 2, "planning: permanent")
    assert now.schedule.classes["complaints"].describe() == "7 years from the end of its calendar year"
    assert now.schedule.classes["planning"].describe() == "permanently"
    assert now.schedule.classes["planning"].years == 0  # permanent has no years
    assert now.schedule.rules == defaults.rules and now.schedule.classes["finance"] == defaults.classes["finance"]


@pytest.mark.parametrize("name, period, path, complaint", [
    ("complaints", {"months": 12}, "classes.complaints.months", "from 0 to 11 (got 12); write 12 months or more"),
    ("complaints", {"years": 201}, "classes.complaints.years", "from 0 to 200 (got 201)"),
    ("complaints", {"years": -1}, "classes.complaints.years", "from 0 to 200 (got -1)"),
    ("complaints", {"years": 0, "months": 0}, "classes.complaints.years", "give years (and/or months)"),
    ("complaints", {"years": 1, "counted_from": "end-of-time"}, "classes.complaints.counted_from",
     "counted_from must be message-date, end-of-year or end-of-financial-year"),
    ("gossip", {"years": 1}, "classes", "there is no class 'gossip'"),
])
def test_a_period_that_cannot_be_used_names_the_class_and_field(name, period, path, complaint):
    with pytest.raises(RetentionScheduleError) as refused:
        schedule_store.with_period(load_schedule().schedule, name, **period)
    assert refused.value.path == path and complaint in refused.value.problem
