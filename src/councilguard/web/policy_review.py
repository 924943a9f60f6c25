"""The policy's adoption and review record: draft or adopted, when, by which minute, next review.

The pack says whether its text is a draft or adopted; the Clerk records what the council actually
resolved (the date, the minute reference) and when the policy is next due for review, so the desk can
say when a review is overdue. Until the Clerk saves a record, the pack's own status is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Pack
from councilguard.records.db import write_session
from councilguard.web import desk_audit
from councilguard.web.desk_schema import PolicyReviewRow
from councilguard.web.errors import FormError
from councilguard.web.users import User

STATUSES = ("draft", "adopted")


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
    def __init__(self, factory: sessionmaker[Session]):
        self._factory = factory

    def get(self, pack: Pack) -> Review:
        with self._factory() as s:
            row = s.get(PolicyReviewRow, pack.id)
            if row is None:
                return Review(pack.id, pack.policy.pack.status)
            return Review(row.pack_id, row.status, row.adopted_on, row.minute_ref, row.next_review, row.updated_at,
                          row.updated_by)

    def save(self, pack: Pack, by: User, *, status: str, adopted_on: date | None, minute_ref: str,
             next_review: date | None) -> Review:
        """Record the council's decision; an adopted policy needs its date and minute. Audited."""
        if status not in STATUSES:
            raise FormError(f"the status {status!r} is not one of {', '.join(STATUSES)}", where="status")
        if status == "adopted" and adopted_on is None:
            raise FormError("an adopted policy needs the date the council adopted it", where="adopted_on")
        if status == "adopted" and not minute_ref:
            raise FormError("an adopted policy needs the minute reference of the decision", where="minute_ref")
        if adopted_on and next_review and next_review <= adopted_on:
            raise FormError(f"the next review ({next_review}) must come after the adoption ({adopted_on})",
                            where="next_review")
        with write_session(self._factory) as s:
            row = s.get(PolicyReviewRow, pack.id) or PolicyReviewRow(pack_id=pack.id)
            row.status, row.adopted_on, row.minute_ref, row.next_review = status, adopted_on, minute_ref or None, \
                next_review
            row.updated_at, row.updated_by = datetime.now(timezone.utc), by.email
            s.add(row)
            desk_audit.write(s, actor=by.email, action="policy-review-saved", target_kind="policy",
                             target_id=pack.id, status=status, adopted_on=adopted_on, minute_ref=minute_ref,
                             next_review=next_review)
        return self.get(pack)
