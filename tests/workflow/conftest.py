"""The workflow services on a real, migrated database (SQLite, and PostgreSQL when it is reachable).

The people are real accounts in ``web_users`` and the checks are the web's own DraftChecker over the
session's Checker, so a post is checked exactly as the app checks it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from councilguard.records import db
from councilguard.records.archive import Archive
from councilguard.web import desk_audit
from councilguard.web.check_counts import CheckCounts
from councilguard.web.checking import DraftChecker, checks_by_id
from councilguard.web.users import UserStore
from councilguard.workflow.authorisations import Authorisations, Person
from councilguard.workflow.official_posts import OfficialPosts
from tests.records.conftest import _pg_archive, _sqlite_template, db_url, pg_database  # noqa: F401

CHANNELS = {"facebook": "CroxleyGreenParishCouncil", "x": "@CroxleyGreenPC", "instagram": "croxleygreenpc"}
PEOPLE = {  # on the croxley-green roster, so the checker knows their roles
    "clerk": ("clerk@croxleygreen-pc.gov.uk", "Helen Marsh", "proper-officer"),
    "sharma": ("cllr.sharma@croxleygreen-pc.gov.uk", "Priya Sharma", "councillor"),
    "okafor": ("cllr.okafor@croxleygreen-pc.gov.uk", "David Okafor", "councillor"),
    "events": ("events@croxleygreen-pc.gov.uk", "Shona McAllister", "staff"),
    "grounds": ("grounds@croxleygreen-pc.gov.uk", "Gary Doyle", "staff"),
    "admin": ("it@croxleygreen-pc.gov.uk", "Ian Tanner", "administrator"),
}


@dataclass
class Services:
    factory: sessionmaker[Session]
    archive: Archive
    users: UserStore
    authorisations: Authorisations
    posts: OfficialPosts
    people: dict[str, Person]


@pytest.fixture
def services(db_url, checker) -> Iterator[Services]:
    engine = db.make_engine(db_url)
    factory = db.sessions(engine)
    archive = Archive(engine)
    users = UserStore(factory, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    people = {}
    for key, (email, name, role) in PEOPLE.items():
        u = users.create(email=email, name=name, role=role, password="correct horse battery", created_by="test")
        people[key] = Person(u.id, u.name, u.email, u.role.value)
    register = Authorisations(factory, channels=CHANNELS, audit=desk_audit.write)
    drafts = DraftChecker(checker, CheckCounts(factory), register)
    posts = OfficialPosts(factory, check=checks_by_id(drafts, users), archive=archive, authorisations=register,
                          audit=desk_audit.write, council_name="Croxley Green Parish Council")
    try:
        yield Services(factory, archive, users, register, posts, people)
    finally:
        engine.dispose()


def audit_log(services: Services) -> list[tuple[str, str, str]]:
    """(actor, action, target id) of every desk audit row, oldest first."""
    return [(a.actor, a.action, a.target_id) for a in reversed(desk_audit.DeskAudit(services.factory).latest(100))]
