"""The retention schedule as data, and deletion runs that delete only what is due and never what is held."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from councilguard.records import retention
from councilguard.records.archive_errors import RetentionScheduleError
from councilguard.records.retention_schedule import RetentionClass, load_schedule
from councilguard.records.schema import ChainEntry
from councilguard.records.search import SearchCriteria

SMALL = """\
version: 1
default_class: correspondence
classes:
  correspondence:
    title: General correspondence
    years: 1
    source: test
  finance:
    title: Finance
    years: 6
    counted_from: end-of-financial-year
    source: test
  governance:
    title: Minutes
    permanent: true
    source: test
rules:
  - class: finance
    subject: [invoice]
  - class: governance
    subject: [minutes]
    sender: ["*@croxley.gov.uk"]
"""
TODAY = date(2025, 6, 1)


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "schedule.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return load_schedule(path).schedule


def test_the_packaged_defaults_load_and_say_where_each_period_comes_from():
    schedule = load_schedule().schedule
    assert schedule.default_class == "correspondence"
    assert {"correspondence", "foi", "complaints", "planning", "personnel", "finance"} <= set(schedule.classes)
    for name, cls in schedule.classes.items():
        assert len(cls.source.split()) >= 2, name


@pytest.mark.parametrize(("subject", "expected"), [
    ("FOI request: hedge cutting costs", "foi"),
    ("Freedom of Information request 2024/07", "foi"),
    ("Foil balloons for the fete", "correspondence"),      # whole words only
    ("Invoice 2024-17 for grass cutting", "finance"),
    ("Re: Complaint about the playground", "complaints"),
    ("Planning application 24/0012", "planning"),
    ("Draft minutes of 3 March", "governance"),
    ("Vacancy: assistant clerk", "personnel"),
    ("Subject access request", "subject-access"),
    ("Hello from the fete committee", "correspondence"),
])
def test_default_rules_give_each_record_a_class(subject, expected):
    name, why = load_schedule().schedule.classify("someone@example.org", [], subject)
    assert name == expected, why


@pytest.mark.parametrize(("sender", "subject", "expected", "why"), [
    ("clerk@croxley.gov.uk", "Minutes of the May meeting", "governance",
     "rule 2: sender matches *@croxley.gov.uk and subject mentions 'minutes'"),
    ("someone@example.org", "Minutes of the May meeting", "correspondence", "no rule matched: the default class"),
    ("someone@example.org", "INVOICE 77", "finance", "rule 1: subject mentions 'invoice'"),
])
def test_every_field_of_a_rule_must_match(small, sender, subject, expected, why):
    assert small.classify(sender, [], subject) == (expected, why)


@pytest.mark.parametrize(("kwargs", "dated", "expected"), [
    ({"years": 3}, date(2020, 5, 1), date(2023, 5, 1)),
    ({"years": 3, "counted_from": "end-of-year"}, date(2020, 5, 1), date(2023, 12, 31)),
    ({"years": 6, "counted_from": "end-of-financial-year"}, date(2020, 3, 31), date(2026, 3, 31)),
    ({"years": 6, "counted_from": "end-of-financial-year"}, date(2020, 4, 1), date(2027, 3, 31)),
    ({"months": 6}, date(2020, 8, 31), date(2021, 2, 28)),
    ({"years": 1, "months": 2}, date(2020, 12, 31), date(2022, 2, 28)),
    ({"permanent": True}, date(2020, 1, 1), None),
])
def test_keep_until(kwargs, dated, expected):
    assert RetentionClass(title="t", source="s", **kwargs).keep_until(dated) == expected


CLASS = "version: 1\nclasses:\n  correspondence:\n    title: T\n    years: 2\n    source: s\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("version: 1\n", 1, "classes: classes is required but missing"),
    (CLASS + "    yeers: 3\n", 7, "classes.correspondence.yeers: yeers is not a known key here"),
    (CLASS + "    counted_from: end-of-month\n", 7, "classes.correspondence.counted_from: Input should be "
                                                      "'message-date', 'end-of-year' or 'end-of-financial-year'"),
    (CLASS + "    permanent: true\n", 3, "classes.correspondence: a permanent class has no years or months"),
    (CLASS.replace("    years: 2\n", ""), 3, "classes.correspondence: give years (and/or months) to keep"),
    (CLASS + "rules:\n  - class: nope\n    subject: [x]\n", 8,
     "rules[0].class: 'nope' is not a class in this schedule; classes are: correspondence"),
    (CLASS + "rules:\n  - class: correspondence\n", 8, "rules[0]: a rule needs at least one of sender"),
    (CLASS.replace("version: 1\n", "version: 1\ndefault_class: other\n"), 2,
     "default_class: 'other' is not a class in this schedule"),
    (CLASS.replace("years: 2", "years: -1"), 5,
     "classes.correspondence.years: Input should be greater than or equal to 0 (got -1)"),
    ("classes: [\n", 2, "not valid YAML"),
    ("- a\n- b\n", 1, "expected a mapping with classes: and rules:"),
])
def test_schedule_mistakes_name_file_line_and_key(tmp_path, text, line, message):
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RetentionScheduleError) as info:
        load_schedule(path)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert message in str(info.value)


def test_a_missing_schedule_file_is_a_clear_error(tmp_path):
    with pytest.raises(RetentionScheduleError, match="cannot be read"):
        load_schedule(tmp_path / "nope.yaml")


def _at(year: int, month: int = 1, day: int = 15) -> dict:
    when = datetime(year, month, day, 10, tzinfo=timezone.utc)
    return {"sent_at": when, "received_at": when}


@pytest.fixture
def dated(archive, make_item):
    """Records of each kind, some past retention on TODAY (2025-06-01) under SMALL and some not."""
    add = lambda *a, **k: archive.add(make_item(*a, **k)).id  # noqa: E731
    return archive, {
        "old letter": add("Bench repair", "The bench is broken", **_at(2024, 3)),      # kept until 2025-03-15
        "new letter": add("Bench repaired", "Thanks", **_at(2024, 12)),                # kept until 2025-12-15
        "old invoice": add("Invoice 12", "Please pay", **_at(2018, 6)),                # kept until 2025-03-31
        "newer invoice": add("Invoice 13", "Please pay", **_at(2020, 6)),              # kept until 2027-03-31
        "minutes": add("Minutes of May", "Attached", **_at(2001, 5)),                  # kept permanently
        "held letter": add("Allotment dispute", "Notes", **_at(2023, 2)),              # due, but held
    }


def test_plan_lists_what_is_due_with_class_reason_and_date(dated, small):
    archive, ids = dated
    archive.place_hold("allotments", reason="complaint", actor="clerk", records=[ids["held letter"]])
    plan = retention.plan(archive, TODAY, small)
    by_id = {i.record_id: i for i in plan.items}
    names = {v: k for k, v in ids.items()}
    assert {names[i] for i in by_id} == {"old letter", "old invoice", "held letter"}
    invoice = by_id[ids["old invoice"]]
    assert (invoice.retention_class, invoice.keep_until, invoice.action) == ("finance", date(2025, 3, 31), "delete")
    assert invoice.why == "rule 1: subject mentions 'invoice'"
    assert by_id[ids["held letter"]].action == "keep (legal hold: allotments)"
    assert [i.record_id for i in plan.to_delete] == [ids["old letter"], ids["old invoice"]]
    assert "kept until 2025-03-15" in by_id[ids["old letter"]].reason(small)


def test_planning_changes_nothing(dated, small):
    archive, _ = dated
    with archive.session() as s:
        before = s.scalar(select(func.count()).select_from(ChainEntry))
    retention.plan(archive, TODAY, small)
    with archive.session() as s:
        assert s.scalar(select(func.count()).select_from(ChainEntry)) == before


def test_apply_deletes_only_what_is_due_and_leaves_tombstones(dated, small):
    archive, ids = dated
    archive.place_hold("allotments", reason="complaint", actor="clerk", records=[ids["held letter"]])
    run = retention.apply(archive, TODAY, "clerk", small)
    deleted = {item.record_id for item, _ in run.deleted}
    assert deleted == {ids["old letter"], ids["old invoice"]}
    for record_id in deleted:
        tomb = archive.get(record_id).tombstone
        assert tomb.actor == "clerk" and tomb.rule in {"correspondence", "finance"}
        assert tomb.reason.startswith("retention: ")
    for key in ("new letter", "newer invoice", "minutes", "held letter"):
        assert archive.raw(ids[key]) and not archive.get(ids[key]).deleted
    assert archive.verify().ok
    assert retention.apply(archive, TODAY, "clerk", small).deleted == []


def test_a_criteria_hold_protects_records_archived_after_it(archive, make_item, small):
    archive.place_hold("bench claim", reason="insurance claim", actor="clerk",
                       criteria=SearchCriteria(query="bench", until=date(2024, 12, 31)))
    later = archive.add(make_item("Bench repair", "The bench is broken", **_at(2024, 3))).id
    other = archive.add(make_item("Dog bins", "Empty them", **_at(2024, 3))).id
    run = retention.apply(archive, TODAY, "clerk", small)
    assert [i.record_id for i, _ in run.deleted] == [other]
    assert [(i.record_id, i.held_by) for i in run.plan.held] == [(later, ("bench claim",))]
    archive.release_hold("bench claim", actor="clerk", reason="claim settled")
    assert [i.record_id for i, _ in retention.apply(archive, TODAY, "clerk", small).deleted] == [later]
