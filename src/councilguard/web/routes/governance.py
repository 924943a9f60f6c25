"""The policy's life and the governance evidence pack, at the Proper Officer's desk.

``/desk/policy-versions``: each version of the policy, what the council resolved about it (adopted on a
date by a minute, or a draft), the next review date, and who has acknowledged which version.
``/desk/governance``: the evidence behind the annual governance return's digital and data compliance
assertion for a financial year, split into what councilguard shows and what the Clerk attests (with a
link), with the Clerk's attestations and the pack to download (PDF, or a zip with CSVs).
Only the Proper Officer may use these pages; every action is in the desk's audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from councilguard.web import auth, form_values
from councilguard.web.errors import FormError
from councilguard.web.incident_desk import as_web_error, readers
from councilguard.web.routes.desk import clerk
from councilguard.web.templating import page
from councilguard.web.users import User
from councilguard.workflow.attestations import TOPICS
from councilguard.workflow.desk_errors import DeskError
from councilguard.workflow.governance_evidence import last_full_year
from councilguard.workflow.governance_pack import attested_lines, shown_lines
from councilguard.workflow.policy_versions import STATUSES

router = APIRouter()
Year = Path(ge=2000, le=2100, description="The year the financial year ends in (2026: 1 April 2025 to 31 March 2026)")


def _versions_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    state, pack = request.app.state, request.app.state.checker.pack
    versions = state.policy_versions
    context.setdefault("error", None)
    context.setdefault("values", {})
    history = versions.history(pack)
    return page(request, "policy_versions.html", status, title="The policy's versions", user=user,
                current=versions.current(pack), history=history,
                counts={v.version: versions.acknowledged_count(pack, v.version) for v in history},
                acks=versions.acknowledgements(pack, readers(state.users.list())), statuses=STATUSES,
                today=date.today(), saved=request.query_params.get("saved"), **context)


@router.get("/desk/policy-versions", include_in_schema=False)
def policy_versions(request: Request, user: User = Depends(clerk)) -> Response:
    return _versions_page(request, user)


@router.post("/desk/policy-versions", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def record_version(request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("version", "status", "adopted_on", "minute_ref", "next_review",
                                                   "note")}
    try:
        saved = request.app.state.policy_versions.record(
            request.app.state.checker.pack, user.email, version=values["version"] or None, status=values["status"],
            adopted_on=form_values.day(form, "adopted_on", "The adoption date", required=False),
            minute_ref=values["minute_ref"],
            review_on=form_values.day(form, "next_review", "The next review date", required=False),
            note=values["note"], today=date.today())
    except (DeskError, FormError) as exc:
        error = as_web_error(exc) if isinstance(exc, DeskError) else exc
        return _versions_page(request, user, error.status, values=values, error=error)
    return RedirectResponse(f"/desk/policy-versions?saved={saved.version}#history", 303)


def _governance_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    state, pack, today = request.app.state, request.app.state.checker.pack, date.today()
    try:
        year = int(request.query_params.get("year") or last_full_year(today))
        evidence = state.governance.gather(pack, readers(state.users.list()), year_end=year, prepared_by=user.email,
                                           today=today)
    except ValueError:
        raise FormError("the year should be a number such as 2026", where="year") from None
    except DeskError as exc:
        raise as_web_error(exc) from None
    context.setdefault("error", None)
    return page(request, "governance.html", status, title="Governance evidence", user=user, evidence=evidence,
                shown=shown_lines(evidence), attested=attested_lines(evidence), topics=TOPICS,
                latest=state.attestations.latest(pack), history=state.attestations.history(pack), today=today,
                years=list(range(last_full_year(today) + 1, last_full_year(today) - 5, -1)),
                saved=request.query_params.get("saved"), **context)


@router.get("/desk/governance", include_in_schema=False)
def governance(request: Request, user: User = Depends(clerk)) -> Response:
    return _governance_page(request, user)


@router.post("/desk/governance/attestations", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def attest(request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    topic = str(form.get("topic") or "")
    try:
        request.app.state.attestations.record(
            request.app.state.checker.pack, user.email, topic=topic, link=str(form.get("link") or ""),
            attested_on=form_values.day(form, "attested_on", "The date you checked it"),
            statement=str(form.get("statement") or ""), today=date.today())
    except (DeskError, FormError) as exc:
        error = as_web_error(exc) if isinstance(exc, DeskError) else exc
        if error.where in ("link", "attested_on", "statement"):
            error = type(error)(error.message, where=f"{topic}-{error.where.replace('_', '-')}")
        return _governance_page(request, user, error.status, error=error)
    return RedirectResponse(f"/desk/governance?saved={topic}#attest", 303)


def _export(request: Request, user: User, year: int):
    state = request.app.state
    try:
        return state.governance.export(state.checker.pack, user.email, readers(state.users.list()), year_end=year,
                                       today=date.today())
    except DeskError as exc:
        raise as_web_error(exc) from None


@router.get("/desk/governance/{year}/evidence.pdf", include_in_schema=False)
def evidence_pdf(request: Request, year: int = Year, user: User = Depends(clerk)) -> Response:
    made = _export(request, user, year)
    return Response(made.pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{made.name}.pdf"'})


@router.get("/desk/governance/{year}/evidence.zip", include_in_schema=False)
def evidence_zip(request: Request, year: int = Year, user: User = Depends(clerk)) -> Response:
    made = _export(request, user, year)
    return Response(made.zip, media_type="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{made.name}.zip"'})
