"""The policy's adoption and review record: draft or adopted, when, by which minute, next review.

The pack says whether its text is a draft or adopted; the Clerk records what the council actually
resolved (the date, the minute reference) and when the policy is next due for review, so the desk can
say when a review is overdue. Until the Clerk saves a record, the pack's own status is shown.

The record is kept per version in the policy versions register (``workflow.policy_versions``): this is
the desk's view of the installed version. A record saved here before the register existed
(``web_policy_review``) is still shown until the Clerk saves the version's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Pack
from councilguard.web import desk_audit
from councilguard.web.acknowledgements import Acknowledgements
from councilguard.web.desk_schema import PolicyReviewRow
from councilguard.web.errors import FormError
from councilguard.web.incident_desk import acknowledged_by
from councilguard.web.users import User
from councilguard.workflow.desk_errors import DeskError
from councilguard.workflow.policy_versions import STATUSES, PolicyVersions

__all__ = ["STATUSES", "PolicyReview", "Review"]


@dataclass(frozen=True)
class Review:
    pack_id: str
    status: str
    adopted_on: date | None = None
    minute_ref: str | None = None
    next_review: date | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None

    def overdue(self, today: date) -> bool:
        return self.next_review is not None and self.next_review < today


class PolicyReview:
    def __init__(self, factory: sessionmaker[Session], versions: PolicyVersions | None = None):
        self._factory = factory
        self._versions = versions or PolicyVersions(
            factory, audit=desk_audit.write, acknowledged_by=acknowledged_by(Acknowledgements(factory)))

    def get(self, pack: Pack) -> Review:
        current = self._versions.current(pack)
        if current.recorded_at is None:
            with self._factory() as s:
                row = s.get(PolicyReviewRow, pack.id)
                if row is not None:  # saved before versions were recorded
                    return Review(row.pack_id, row.status, row.adopted_on, row.minute_ref, row.next_review,
                                  row.updated_at, row.updated_by)
        return Review(pack.id, current.status, current.adopted_on, current.minute_ref, current.review_on,
                      current.updated_at, current.updated_by)

    def save(self, pack: Pack, by: User, *, status: str, adopted_on: date | None, minute_ref: str,
             next_review: date | None) -> Review:
        """Record the council's decision on the installed version; an adopted policy needs its date and
        minute. Audited."""
        try:
            self._versions.record(pack, by.email, status=status, adopted_on=adopted_on, minute_ref=minute_ref,
                                  review_on=next_review, action="policy-review-saved")
        except DeskError as exc:
            raise FormError(exc.message, where=exc.where) from None
        return self.get(pack)
