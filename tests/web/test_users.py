"""The account store: validation, argon2 hashing, authentication, the privacy-notice mark."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from councilguard.records import db
from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.errors import AccountError
from councilguard.web import users as users_module
from councilguard.web.privacy_notice import NOTICE_EDITION
from councilguard.web.users import UserStore
from tests.web.conftest import FAST_HASHER, PASSWORD


WELCOME_SHA256 = "7db71ae4300b36890db4c49f7db0bb0407e567e2ce07c2cf2ecb012c5d743207"


@pytest.fixture
def factory(db_path):
    engine = db.make_engine(f"sqlite:///{db_path}")
    yield db.sessions(engine)
    engine.dispose()


@pytest.fixture
def store(factory) -> UserStore:
    return UserStore(factory, FAST_HASHER)


@pytest.mark.parametrize("email, name, role, password, where", [
    ("a@example.org", "Ann", "councillor", "x" * 11, "password"),
    ("a@example", "Ann", "councillor", PASSWORD, "email"),
    ("", "Ann", "councillor", PASSWORD, "email"),
    ("a@example.org", " \t ", "councillor", PASSWORD, "name"),
    ("a@example.org", "Ann", "mayor", PASSWORD, "role"),
])
def test_create_refuses_bad_details_naming_the_field(store, email, name, role, password, where):
    with pytest.raises(AccountError) as caught:
        store.create(email=email, name=name, role=role, password=password, created_by="test")
    assert caught.value.where == where
    assert store.count() == 0


def test_create_normalises_and_keeps_only_a_hash(store, factory):
    user = store.create(email="  Ann@Example.ORG ", name="  Ann   Smith ", role="staff", password=PASSWORD,
                        created_by="clerk@example.org")
    assert (user.email, user.name, user.role.value, user.privacy_seen) == ("ann@example.org", "Ann Smith", "staff", False)
    with factory() as s:
        row = s.scalar(select(WebUserRow))
        assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
        assert row.created_by == "clerk@example.org" and row.created_at.tzinfo is not None


@pytest.mark.parametrize("email, password, found", [
    ("ann@example.org", PASSWORD, True),
    ("ANN@example.org ", PASSWORD, True),
    ("ann@example.org", PASSWORD.upper(), False),
    ("ann@example.org", "", False),
    ("bob@example.org", PASSWORD, False),
])
def test_authenticate(store, email, password, found):
    store.create(email="ann@example.org", name="Ann", role="councillor", password=PASSWORD, created_by="t")
    assert (store.authenticate(email, password) is not None) == found


def test_the_default_hasher_is_argon2id_and_weaker_hashes_are_upgraded_at_sign_in(factory):
    UserStore(factory, FAST_HASHER).create(email="ann@example.org", name="Ann", role="councillor",
                                           password=PASSWORD, created_by="t")
    default = PasswordHasher()
    assert UserStore(factory).authenticate("ann@example.org", PASSWORD) is not None
    with factory() as s:
        stored = s.scalar(select(WebUserRow.password_hash))
    assert stored.startswith(f"$argon2id$v=19$m={default.memory_cost},t={default.time_cost},p={default.parallelism}$")
    assert not default.check_needs_rehash(stored)


def test_privacy_notice_is_marked_once_per_edition(store, factory, monkeypatch):
    user = store.create(email="ann@example.org", name="Ann", role="councillor", password=PASSWORD, created_by="t")
    store.mark_privacy_seen(user.id)
    with factory() as s:
        first = s.scalar(select(WebUserRow.privacy_seen_at))
    store.mark_privacy_seen(user.id)
    with factory() as s:
        assert s.scalar(select(WebUserRow.privacy_seen_at)) == first
    assert store.get(user.id).privacy_seen and store.get(user.id + 99) is None
    monkeypatch.setattr(users_module, "NOTICE_EDITION", "2099-01-01")  # the notice changes: read it again
    assert not store.get(user.id).privacy_seen
    store.mark_privacy_seen(user.id)
    with factory() as s:
        assert s.execute(select(WebUserRow.privacy_edition)).scalar() == "2099-01-01"
    assert store.get(user.id).privacy_seen


def test_the_notice_cannot_change_without_a_new_edition():
    """Edit welcome.html, and this fails until NOTICE_EDITION is bumped and the checksum below updated."""
    template = Path(users_module.__file__).parent / "templates" / "welcome.html"
    assert (NOTICE_EDITION, hashlib.sha256(template.read_bytes()).hexdigest()) == (
        "2026-11-25", WELCOME_SHA256)
