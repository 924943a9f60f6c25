"""Who has read and acknowledged the current policy and the relay notice.

A policy version is the pack's id plus its version string (``pack.policy.pack.version``): when the
council adopts a new version, everyone is asked again. Acknowledging twice keeps the first time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Pack
from councilguard.web.desk_schema import AcknowledgementRow
from councilguard.web.roles import Role

if TYPE_CHECKING:
    from councilguard.web.users import User

ASKED_TO_ACKNOWLEDGE = (Role.COUNCILLOR, Role.STAFF)


def asked_to_acknowledge(users: Iterable[User]) -> list[User]:
    """The councillors and staff whose accounts are switched on: those the desk asks to acknowledge the
    policy (a switched-off account has left, and would otherwise sit in "not yet acknowledged" for ever)."""
    return [u for u in users if u.role in ASKED_TO_ACKNOWLEDGE and u.active]


@dataclass(frozen=True)
class PolicyVersion:
    pack_id: str
    version: str
    name: str

    @classmethod
    def of(cls, pack: Pack) -> PolicyVersion:
        return cls(pack.id, pack.policy.pack.version, pack.policy.pack.name)


class Acknowledgements:
    def __init__(self, factory: sessionmaker[Session]):
        self._factory = factory

    def acknowledge(self, user_id: int, version: PolicyVersion) -> datetime:
        """Record that ``user_id`` acknowledged ``version`` now (or keep the earlier time); returns when."""
        with self._factory() as s:
            s.add(AcknowledgementRow(user_id=user_id, pack_id=version.pack_id, version=version.version,
                                     acknowledged_at=datetime.now(timezone.utc)))
            try:
                s.commit()
            except IntegrityError:
                s.rollback()
        found = self.of(version).get(user_id)
        assert found is not None  # just written, or written before
        return found

    def of(self, version: PolicyVersion) -> dict[int, datetime]:
        """{user id: when they acknowledged} for ``version``."""
        with self._factory() as s:
            rows = s.execute(select(AcknowledgementRow.user_id, AcknowledgementRow.acknowledged_at)
                             .where(AcknowledgementRow.pack_id == version.pack_id,
                                    AcknowledgementRow.version == version.version))
            return {user_id: at for user_id, at in rows}
