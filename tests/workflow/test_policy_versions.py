"""The policy's life: the installed version's record, earlier versions kept, and acknowledgements per version."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from councilguard.web.acknowledgements import PolicyVersion
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.policy_versions import Reader
from tests.workflow.registers import CLERK, lite, registers  # noqa: F401

TODAY = date.today()


def test_versions_are_recorded_and_acknowledged_per_version(registers):
    """SQLite and PostgreSQL: the bundled draft is adopted, an earlier version is kept, acknowledgements differ."""
    pack, versions = registers.pack, registers.versions
    before = versions.current(pack)
    assert (before.version, before.status, before.installed, before.recorded_at) == ("draft", "draft", True, None)
    ann = registers.person("councillor", "Ann Archer", "ann@example.org")
    sam = registers.person("staff", "Sam Staff", "sam@example.org")
    registers.acknowledgements.acknowledge(ann.id, PolicyVersion(pack.id, "draft", ""))
    registers.acknowledgements.acknowledge(sam.id, PolicyVersion(pack.id, "2019", ""))
    versions.record(pack, CLERK, version="2019", status="adopted", adopted_on=date(2019, 5, 14),
                    minute_ref="Min 19/033", review_on=date(2020, 5, 14), today=TODAY)
    now = versions.record(pack, CLERK, status="adopted", adopted_on=TODAY - timedelta(days=10),
                          minute_ref="FC/26/112", review_on=TODAY + timedelta(days=355), note="As drafted", today=TODAY)
    assert (now.version, now.status, now.minute_ref, now.installed) == ("draft", "adopted", "FC/26/112", True)
    assert versions.current(pack) == now and not now.review_overdue(TODAY)
    assert [(v.version, v.installed) for v in versions.history(pack)] == [("draft", True), ("2019", False)]
    assert versions.history(pack)[1].review_overdue(TODAY)
    people = [Reader(ann.id, ann.name, "Councillor"), Reader(sam.id, sam.name, "Staff")]
    current = versions.acknowledgements(pack, people)
    assert [r.name for r, _ in current.acknowledged] == ["Ann Archer"] and [r.name for r in current.missing] == [
        "Sam Staff"]
    earlier = versions.acknowledgements(pack, people, version="2019")
    assert [r.name for r, _ in earlier.acknowledged] == ["Sam Staff"]
    assert (versions.acknowledged_count(pack, "draft"), versions.acknowledged_count(pack, "2019")) == (1, 1)
    corrected = versions.record(pack, CLERK, status="adopted", adopted_on=TODAY - timedelta(days=10),
                                minute_ref="FC/26/113", review_on=None, today=TODAY)
    assert corrected.minute_ref == "FC/26/113" and corrected.recorded_at == now.recorded_at
    assert [(a[1], a[2]) for a in registers.audit()] == [
        ("policy-version-recorded", f"{pack.id} 2019"), ("policy-version-recorded", f"{pack.id} draft"),
        ("policy-version-recorded", f"{pack.id} draft")]


# (case, fields, field named, words)
REFUSED = [
    ("unknown status", dict(status="repealed"), "status", "is not one of draft, adopted"),
    ("adopted without a date", dict(status="adopted", minute_ref="FC/1"), "adopted_on", "needs the date"),
    ("adopted without a minute", dict(status="adopted", adopted_on=TODAY), "minute_ref", "needs the minute reference"),
    ("adopted tomorrow", dict(status="adopted", adopted_on=TODAY + timedelta(days=1), minute_ref="FC/1"),
     "adopted_on", "in the future"),
    ("review before adoption", dict(status="adopted", adopted_on=TODAY, minute_ref="FC/1",
                                    review_on=TODAY - timedelta(days=1)), "next_review", "must come after"),
    ("a version name that is not one", dict(status="draft", version="<v2>"), "version", "is not a version name"),
    ("a very long minute", dict(status="adopted", adopted_on=TODAY, minute_ref="M" * 201), "minute_ref",
     "the most is 200"),
]


@pytest.mark.parametrize("case, fields, where, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_a_record_that_cannot_be_kept_says_why(lite, case, fields, where, words):
    values = dict(adopted_on=None, minute_ref=None, review_on=None, today=TODAY) | fields
    with pytest.raises(InvalidValue) as raised:
        lite.versions.record(lite.pack, CLERK, **values)
    assert raised.value.where == where and words in raised.value.message
    assert lite.versions.current(lite.pack).recorded_at is None and lite.audit() == []


def test_acknowledgements_of_a_version_the_register_does_not_know_are_refused(lite):
    with pytest.raises(InvalidValue, match="no version '1999'"):
        lite.versions.acknowledgements(lite.pack, [], version="1999")
