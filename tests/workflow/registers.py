"""Fixtures for the Clerk's registers (incidents, outcomes, policy versions, attestations, the governance
pack) on a real, migrated database: ``registers`` runs on SQLite and on PostgreSQL (when reachable), ``lite``
on SQLite alone for the many small cases. Import the fixtures into a test module to use them.

The services are wired exactly as the web app wires them: the desk's own audit writer, the web's remark
reports looked up by number, the web's acknowledgements read per version.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from typing import Iterator

import pytest
from argon2 import PasswordHasher
from PIL import Image, ImageDraw
from sqlalchemy.orm import Session, sessionmaker

from councilguard.engine import Checker
from councilguard.records import db
from councilguard.records.archive import Archive
from councilguard.web import desk_audit
from councilguard.web.acknowledgements import Acknowledgements
from councilguard.web.incident_desk import acknowledged_by, remark_lookup
from councilguard.web.remarks import RemarkReports
from councilguard.web.users import User, UserStore
from councilguard.workflow.attestations import Attestations
from councilguard.workflow.governance_pack import GovernancePacks
from councilguard.workflow.incidents import Incidents
from councilguard.workflow.policy_versions import PolicyVersions

CLERK = "clerk@croxleygreen-pc.gov.uk"


@dataclass
class Registers:
    factory: sessionmaker[Session]
    archive: Archive
    checker: Checker
    users: UserStore
    remarks: RemarkReports
    acknowledgements: Acknowledgements
    incidents: Incidents
    versions: PolicyVersions
    attestations: Attestations
    governance: GovernancePacks

    @property
    def pack(self):
        return self.checker.pack

    def audit(self) -> list[tuple[str, str, str]]:
        """(actor, action, target id) of every desk audit row, oldest first."""
        return [(a.actor, a.action, a.target_id) for a in reversed(desk_audit.DeskAudit(self.factory).latest(500))]

    def person(self, role: str, name: str, email: str) -> User:
        return self.users.create(email=email, name=name, role=role, password="correct horse battery",
                                 created_by="test")


def build(url: str, checker: Checker) -> tuple[Registers, object]:
    engine = db.make_engine(url)
    factory = db.sessions(engine)
    archive = Archive(engine)
    acknowledgements = Acknowledgements(factory)
    versions = PolicyVersions(factory, audit=desk_audit.write, acknowledged_by=acknowledged_by(acknowledgements))
    attestations = Attestations(factory, audit=desk_audit.write)
    return Registers(
        factory, archive, checker, UserStore(factory, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)),
        RemarkReports(factory), acknowledgements,
        Incidents(factory, archive, checker.pack, audit=desk_audit.write, remarks=remark_lookup(factory)),
        versions, attestations, GovernancePacks(factory, archive, versions, attestations, audit=desk_audit.write),
    ), engine


@pytest.fixture
def registers(db_url, checker) -> Iterator[Registers]:
    made, engine = build(db_url, checker)
    try:
        yield made
    finally:
        engine.dispose()


@pytest.fixture
def lite(_sqlite_template, tmp_path, checker) -> Iterator[Registers]:
    path = tmp_path / "lite.db"
    shutil.copyfile(_sqlite_template, path)
    made, engine = build(f"sqlite:///{path}", checker)
    try:
        yield made
    finally:
        engine.dispose()


def screenshot(words: str = "Tom Hargreaves is a liar", *, kind: str = "PNG", size=(600, 300)) -> bytes:
    """A real image of a post, as a phone would save it."""
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((20, 20), words, fill="black")
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()
