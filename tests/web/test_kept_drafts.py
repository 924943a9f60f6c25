"""Kept drafts at the service layer, on SQLite and PostgreSQL: each person sees only their own, nothing outlives
the council's period, and a deleted draft leaves no trace in the SQLite file."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from councilguard.records import db
from councilguard.web.council_settings import CouncilSettingsStore
from councilguard.web.desk_audit import DeskAudit
from councilguard.web.drafts import DraftForm
from councilguard.web.errors import FormError, Forbidden, NotFoundHere
from councilguard.web.kept_drafts import MAX_KEPT, KeptDrafts, draft_id
from councilguard.web.kept_drafts_schema import KeptDraftRow
from councilguard.web.users import UserStore
from tests.records.conftest import _pg_archive, _sqlite_template, db_url, pg_database  # noqa: F401
from tests.web.conftest import FAST_HASHER, PASSWORD

START = datetime(2026, 11, 2, 9, 30, tzinfo=timezone.utc)
SECRET = "Between us, I will vote against the Greenway plan whatever the Chair says"


@dataclass
class WallClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class World:
    kept: KeptDrafts
    settings: CouncilSettingsStore
    users: UserStore
    clock: WallClock
    factory: object
    people: dict


@pytest.fixture
def world(db_url) -> World:
    engine = db.make_engine(db_url)
    factory = db.sessions(engine)
    users, clock = UserStore(factory, FAST_HASHER), WallClock()
    settings = CouncilSettingsStore(factory, clock)
    for name, role in [("ann", "councillor"), ("bob", "councillor"), ("sam", "staff"), ("clerk", "proper-officer"),
                       ("ada", "administrator")]:
        users.create(email=f"{name}@example.org", name=name.title(), role=role, password=PASSWORD, created_by="test")
    people = {u.email.split("@")[0]: u for u in users.list()}
    yield World(KeptDrafts(factory, settings, clock), settings, users, clock, factory, people)
    engine.dispose()


def _keep(world: World, who: str, text: str = SECRET, **kw) -> object:
    return world.kept.keep(world.people[who], DraftForm(text=text), verdict="ok", **kw)


def test_a_kept_draft_is_its_owners_alone(world):
    ann_draft = _keep(world, "ann")
    bob_draft = _keep(world, "bob", "Bob's own thoughts")
    assert [d.id for d in world.kept.mine(world.people["ann"])] == [ann_draft.id]
    assert [d.id for d in world.kept.mine(world.people["bob"])] == [bob_draft.id]
    assert world.kept.get(world.people["ann"], ann_draft.id).draft.text == SECRET
    bob = world.people["bob"]
    with pytest.raises(NotFoundHere) as gone:
        world.kept.get(bob, 999)
    for action in (lambda: world.kept.get(bob, ann_draft.id), lambda: world.kept.delete(bob, ann_draft.id),
                   lambda: world.kept.keep(bob, DraftForm(text="overwrite"), verdict="ok", replacing=ann_draft.id)):
        with pytest.raises(NotFoundHere) as refused:
            action()
        # someone else's draft and no draft at all get the same answer, so existence is not revealed
        assert (refused.value.status, refused.value.where) == (gone.value.status, gone.value.where) == (404, "draft")
        assert refused.value.message == gone.value.message.replace("999", str(ann_draft.id))
    assert world.kept.get(world.people["ann"], ann_draft.id).draft.text == SECRET  # untouched
    assert world.kept.find(world.people["bob"], ann_draft.id) is None


@pytest.mark.parametrize("who", ["clerk", "ada"])
def test_the_proper_officer_and_administrators_cannot_reach_any_draft(world, who):
    made = _keep(world, "ann")
    person = world.people[who]
    for action in (lambda: world.kept.mine(person), lambda: world.kept.get(person, made.id),
                   lambda: world.kept.delete(person, made.id),
                   lambda: world.kept.keep(person, DraftForm(text="mine"), verdict="ok")):
        with pytest.raises(Forbidden):
            action()
    assert world.kept.find(person, made.id) is None and world.kept.choice(person) is None


def test_staff_keep_drafts_too(world):
    made = _keep(world, "sam", "Notice of the Christmas lights switch-on")
    assert [d.id for d in world.kept.mine(world.people["sam"])] == [made.id]


def test_a_draft_is_deleted_after_the_councils_period(world):
    made = _keep(world, "ann")
    assert made.deletes_at == START + timedelta(days=30)
    world.clock.move(days=29, hours=23)
    assert world.kept.purge() == 0 and world.kept.mine(world.people["ann"])
    world.clock.move(hours=1)
    assert world.kept.mine(world.people["ann"]) == []  # hidden at once, even before the purge
    assert world.kept.purge() == 1
    with world.factory() as s:
        assert s.scalars(select(KeptDraftRow)).all() == []
    entry = DeskAudit(world.factory).latest()[0]
    assert (entry.actor, entry.action, entry.detail) == ("councilguard", "kept-drafts-deleted",
                                                         {"count": 1, "period_days": 30})


def test_keeping_again_starts_the_period_again(world):
    made = _keep(world, "ann")
    world.clock.move(days=20)
    again = _keep(world, "ann", SECRET + " (edited)", replacing=made.id)
    assert (again.id, again.kept_at, again.deletes_at) == (made.id, START, world.clock.now + timedelta(days=30))
    world.clock.move(days=20)
    assert world.kept.purge() == 0 and world.kept.get(world.people["ann"], made.id).draft.text.endswith("(edited)")


def test_a_shorter_period_applies_to_drafts_already_kept_and_a_longer_one_does_not(world):
    old = _keep(world, "ann")
    world.clock.move(days=8)
    newer = _keep(world, "ann", "Kept a week later")
    world.settings.save({"kept_draft_days": 7}, world.people["clerk"])
    assert [d.id for d in world.kept.mine(world.people["ann"])] == [newer.id]
    assert world.kept.purge() == 1
    world.settings.save({"kept_draft_days": 90}, world.people["clerk"])
    assert world.kept.get(world.people["ann"], newer.id).deletes_at == START + timedelta(days=8 + 30)
    world.clock.move(days=31)
    assert world.kept.purge() == 1 and old.id != newer.id


def test_keeping_can_be_switched_off_by_the_council(world):
    made = _keep(world, "ann")
    world.settings.save({"drafts_may_be_kept": False}, world.people["clerk"])
    with pytest.raises(FormError, match="switched off keeping drafts") as refused:
        _keep(world, "ann", "another")
    assert refused.value.where == "keep"
    assert world.kept.choice(world.people["ann"]) is None  # no box on a new draft ...
    assert world.kept.choice(world.people["ann"], kept=made) is not None  # ... but a kept one still opens
    assert [d.id for d in world.kept.mine(world.people["ann"])] == [made.id]  # and lasts its period


@pytest.mark.parametrize("draft, where, complaint", [
    (DraftForm(text="   "), "text", "there is no draft to keep"),
    (DraftForm(text="x" * 100_001), "text", "at most 100,000"),
    (DraftForm(text="hi", in_reply_to="y" * 100_001), "in_reply_to", "What it replies to is 100,001"),
    (DraftForm(text="hi", channel="c" * 101), "channel", "the most is 100"),
    (DraftForm(text="hi", to="a" * 2001), "to", "the most is 2000"),
    (DraftForm(text="hi", kind="tweet"), "kind", "'tweet' is not one of"),
    (DraftForm(text="hi", account="secret"), "account", "'secret' is not one of"),
])
def test_a_draft_that_cannot_be_kept_says_which_field(world, draft, where, complaint):
    with pytest.raises(FormError, match=complaint) as refused:
        world.kept.keep(world.people["ann"], draft, verdict=None)
    assert refused.value.where == where
    assert world.kept.mine(world.people["ann"]) == []


def test_there_is_a_limit_to_how_many_drafts_one_person_keeps(world):
    for n in range(MAX_KEPT):
        _keep(world, "ann", f"draft {n}")
    with pytest.raises(FormError, match=f"already keep {MAX_KEPT} drafts"):
        _keep(world, "ann", "one too many")
    _keep(world, "bob", "Bob is not affected")


@pytest.mark.parametrize("value, expected", [(None, None), ("", None), (" 12 ", 12)])
def test_the_forms_draft_field_is_read_as_an_id(value, expected):
    assert draft_id(value) == expected


@pytest.mark.parametrize("value", ["12a", "-1", "1e3", "<script>"])
def test_a_garbled_draft_field_is_simply_not_found(value):
    with pytest.raises(NotFoundHere):
        draft_id(value)


def test_a_deleted_draft_leaves_no_trace_in_the_database_file(world, db_url):
    db_path = db.sqlite_path(db_url)
    if db_path is None:
        pytest.skip("PostgreSQL clears deleted rows by autovacuum; this reads the bytes of a SQLite file")
    made = _keep(world, "ann")
    world.kept.delete(world.people["ann"], made.id)
    with pytest.raises(NotFoundHere):
        world.kept.get(world.people["ann"], made.id)
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    for path in db_path.parent.glob(db_path.name + "*"):  # the file, its write-ahead log and shared memory
        assert SECRET.encode() not in path.read_bytes(), path.name
