"""Changing an account: role, switched off or on, roster link; the limits that keep the council from locking
itself out, and an audit row for every change made."""

from __future__ import annotations

import pytest

from councilguard.policy import Pack
from councilguard.records import db
from councilguard.web.account_changes import AccountChanges
from councilguard.web.desk_audit import DeskAudit
from councilguard.web.errors import FormError, NotFoundHere
from councilguard.web.users import UserStore
from tests.web.conftest import CLERK, FAST_HASHER, PASSWORD


@pytest.fixture
def accounts(db_path):
    engine = db.make_engine(f"sqlite:///{db_path}")
    factory = db.sessions(engine)
    users = UserStore(factory, FAST_HASHER)
    made = {}
    for key, email, name, role in [("clerk", *CLERK, "proper-officer"),
                                   ("ada", "ada@example.org", "Ada", "administrator"),
                                   ("ann", "ann@example.org", "Ann Archer", "councillor"),
                                   ("sam", "sam@example.org", "Sam Staff", "staff")]:
        made[key] = users.create(email=email, name=name, role=role, password=PASSWORD, created_by="test")
    yield AccountChanges(factory, Pack.bundled().council), users, made, DeskAudit(factory)
    engine.dispose()


@pytest.mark.parametrize("by, target, role", [("clerk", "ann", "staff"), ("clerk", "sam", "administrator"),
                                              ("ada", "ann", "administrator"), ("ada", "sam", "councillor")])
def test_a_role_change_is_made_and_audited(accounts, by, target, role):
    changes, users, made, audit = accounts
    before = made[target].role.value
    assert changes.change_role(made[target].id, role, made[by]).role.value == role
    assert users.get(made[target].id).role.value == role
    (entry,) = audit.latest()
    assert (entry.actor, entry.action, entry.target_kind, entry.target_id, entry.detail) == (
        made[by].email, "role-changed", "account", str(made[target].id),
        {"email": made[target].email, "before": before, "after": role})


@pytest.mark.parametrize("by, target, role, complaint", [
    ("clerk", "ann", "proper-officer", "cannot be given here"),
    ("clerk", "ann", "mayor", "cannot be given here"),
    ("ada", "ada", "councillor", "you cannot change your own role"),
    ("ada", "clerk", "staff", "is the Proper Officer, whose account is not changed here"),
])
def test_role_changes_that_are_not_allowed_are_refused_and_not_logged(accounts, by, target, role, complaint):
    changes, users, made, audit = accounts
    with pytest.raises(FormError, match=complaint) as refused:
        changes.change_role(made[target].id, role, made[by])
    assert refused.value.where == "role"
    assert users.get(made[target].id).role == made[target].role and audit.latest() == []


def test_the_same_role_again_changes_nothing_and_logs_nothing(accounts):
    changes, _, made, audit = accounts
    changes.change_role(made["ann"].id, "councillor", made["clerk"])
    assert audit.latest() == []


def test_switching_off_stops_sign_in_and_ends_sessions_and_switching_on_undoes_it(accounts):
    changes, users, made, audit = accounts
    off = changes.set_active(made["ann"].id, False, made["clerk"])
    assert (off.active, off.session_version) == (False, 1)
    assert users.authenticate("ann@example.org", PASSWORD) is None
    on = changes.set_active(made["ann"].id, True, made["ada"])
    assert (on.active, on.session_version) == (True, 1)  # sessions ended while off stay ended
    assert users.authenticate("ann@example.org", PASSWORD) is not None
    assert [(a.actor, a.action) for a in audit.latest()] == [("ada@example.org", "account-reactivated"),
                                                              (CLERK[0], "account-deactivated")]


@pytest.mark.parametrize("by, target, complaint", [("ada", "ada", "switch off your own account"),
                                                   ("ada", "clerk", "is the Proper Officer")])
def test_nobody_switches_off_their_own_or_the_proper_officers_account(accounts, by, target, complaint):
    changes, users, made, _ = accounts
    with pytest.raises(FormError, match=complaint) as refused:
        changes.set_active(made[target].id, False, made[by])
    assert refused.value.where == "active" and users.get(made[target].id).active


def test_a_roster_link_is_saved_checked_against_the_roster_and_unique(accounts):
    changes, users, made, audit = accounts
    linked = changes.link(made["ann"].id, "  Margaret   Ellis ", made["clerk"])
    assert linked.roster_member == "Margaret Ellis"
    with pytest.raises(FormError, match="already linked to the account of Ann Archer") as taken:
        changes.link(made["sam"].id, "Margaret Ellis", made["clerk"])
    with pytest.raises(FormError, match="'Margret Ellis' is not on the council's roster") as unknown:
        changes.link(made["sam"].id, "Margret Ellis", made["clerk"])
    assert taken.value.where == unknown.value.where == "roster_member"
    assert changes.link(made["ann"].id, "", made["clerk"]).roster_member is None
    assert [(a.action, a.detail["before"], a.detail["after"]) for a in audit.latest()] == [
        ("roster-unlinked", "Margaret Ellis", None), ("roster-linked", None, "Margaret Ellis")]


def test_an_account_that_does_not_exist_is_not_found(accounts):
    changes, _, made, _ = accounts
    for action in (lambda: changes.change_role(999, "staff", made["clerk"]),
                   lambda: changes.set_active(999, False, made["clerk"]),
                   lambda: changes.link(999, "", made["clerk"])):
        with pytest.raises(NotFoundHere, match="there is no account 999"):
            action()
