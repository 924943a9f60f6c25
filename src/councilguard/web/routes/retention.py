"""The retention schedule: how long each class of record is kept, shown and changed by the Proper Officer
(or an administrator). Changes are checked by the records layer, saved as a new version of the schedule
(which deletion runs then use) and audited; see ``web.retention_changes``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from councilguard.records.retention_schedule import RetentionClass
from councilguard.records.schedule_store import SavedSchedule
from councilguard.web import auth
from councilguard.web.errors import FormError
from councilguard.web.retention_changes import COUNTED_FROM
from councilguard.web.roles import ACCOUNT_KEEPERS, require
from councilguard.web.routes.api_common import Body, pointed_at
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
keeper = require(*ACCOUNT_KEEPERS)


def _retention_page(request: Request, user: User, status: int = 200, error: FormError | None = None) -> Response:
    return page(request, "retention.html", status, title="Retention schedule", user=user,
                saved=request.app.state.retention.current(), counted_from=COUNTED_FROM, error=error,
                changed=request.query_params.get("changed"))


@router.get("/retention", include_in_schema=False)
def retention(request: Request, user: User = Depends(keeper)) -> Response:
    return _retention_page(request, user)


@router.post("/retention/{name}", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def change_period(name: str, request: Request, user: User = Depends(keeper)) -> Response:
    form = await request.form()
    try:
        request.app.state.retention.set_period(
            name, years=form.get("years"), months=form.get("months"),
            counted_from=str(form.get("counted_from") or ""), permanent=form.get("permanent") == "yes", by=user)
    except FormError as exc:
        where = exc.where.replace("_", "-") + f"-{name}" if exc.where != "class" else ""
        return _retention_page(request, user, exc.status, FormError(exc.message, where=where))
    return RedirectResponse(f"/retention?changed={name}#class-{name}", 303)


# --- the JSON API ---------------------------------------------------------------------------------------

CountedFrom = Literal["message-date", "end-of-year", "end-of-financial-year"]


class RetentionClassOut(BaseModel):
    name: str = Field(examples=["complaints"])
    title: str = Field(examples=["Complaints"])
    years: int
    months: int
    counted_from: CountedFrom
    permanent: bool
    kept: str = Field(description="The period in words", examples=["6 years from the end of its calendar year"])
    source: str = Field(description="Why this period: the law or practice it follows")

    @classmethod
    def of(cls, name: str, c: RetentionClass) -> RetentionClassOut:
        return cls(name=name, title=c.title, years=c.years, months=c.months, counted_from=c.counted_from,
                   permanent=c.permanent, kept=c.describe(), source=" ".join(c.source.split()))


class ScheduleOut(BaseModel):
    version: int | None = Field(description="The saved version in force; null while the packaged defaults are")
    saved_at: datetime | None
    saved_by: str | None
    change: str | None = Field(description="What the newest version changed")
    default_class: str
    classes: list[RetentionClassOut]

    @classmethod
    def of(cls, saved: SavedSchedule) -> ScheduleOut:
        schedule = saved.schedule
        return cls(version=saved.version, saved_at=saved.saved_at, saved_by=saved.saved_by, change=saved.change,
                   default_class=schedule.default_class,
                   classes=[RetentionClassOut.of(n, c) for n, c in schedule.classes.items()])


class PeriodIn(Body):
    years: int = Field(0, strict=True, description="Whole years to keep (0 to 200)", examples=[6],
                       json_schema_extra={"minimum": 0, "maximum": 200})
    months: int = Field(0, strict=True, description="And months (0 to 11)", examples=[0],
                        json_schema_extra={"minimum": 0, "maximum": 11})
    counted_from: CountedFrom = Field("message-date", description="When the period starts")
    permanent: bool = Field(False, strict=True, description="Keep permanently (then years and months are ignored)")


@router.get("/api/retention", response_model=ScheduleOut, tags=["retention"])
def get_schedule(request: Request, user: User = Depends(keeper)) -> ScheduleOut:
    """The retention schedule in force: every class of record and how long it is kept."""
    return ScheduleOut.of(request.app.state.retention.current())


@router.put("/api/retention/classes/{name}", response_model=ScheduleOut, tags=["retention"],
            dependencies=[Depends(auth.verify_csrf)])
def put_period(name: str, body: PeriodIn, request: Request, user: User = Depends(keeper)) -> ScheduleOut:
    """Change how long one class of record is kept; saved as a new version of the schedule, and audited."""
    with pointed_at({"years": "body.years", "months": "body.months", "counted_from": "body.counted_from",
                     "class": "path.name"}):
        saved = request.app.state.retention.set_period(name, **body.model_dump(), by=user)
    return ScheduleOut.of(saved)
