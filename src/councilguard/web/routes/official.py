"""Pages for the register of authorisations and the official accounts' posting queue.

``/authorisations`` is the Clerk's: record an authority to speak for the council or to spend (with the
resolution, scheme of delegation or financial regulation it rests on), designate who may post on the
official accounts, and revoke either. ``/official-posts`` is the queue: staff and designated people
draft, the Proper Officer approves or returns. Every change is written to the desk's audit log by the
service, in the same transaction.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from councilguard.web import auth, form_values
from councilguard.web.authorities import as_web_error, person
from councilguard.web.drafts import evidence_views
from councilguard.web.errors import FormError, WebError
from councilguard.web.roles import CHECKERS, Role, require
from councilguard.web.templating import page
from councilguard.web.users import User
from councilguard.workflow.authorisations import (
    HOLDER_ROLES,
    KIND_LABELS,
    SOURCE_LABELS,
    SOURCES,
    NewAuthorisation,
)
from councilguard.workflow.authority_errors import AuthorityError, PostBlocked

router = APIRouter()
clerk = require(Role.PROPER_OFFICER)
queue_user = require(*CHECKERS)
# The two forms of the register page: a designation is an official-account authorisation from the Proper Officer.
FORMS = {"designation": "d", "authorisation": "a"}
AUTHORITY_KINDS = ("speak-for-council", "purchase")  # what the "authorisation" form offers
_AUTHORITY_FIELDS = ("holder_id", "kind", "source_kind", "reference", "decided_on", "scope", "channel", "expires_on")


def holders(request: Request) -> list[User]:
    """The people who can hold an authority: councillors, staff and the Proper Officer."""
    return [u for u in request.app.state.users.list() if u.role.value in HOLDER_ROLES]


def holder(request: Request, raw: Any) -> User:
    """The account named by a holder field, or a FormError saying so."""
    try:
        found = request.app.state.users.get(int(str(raw or "").strip()))
    except ValueError:
        found = None
    if found is None:
        raise FormError("Choose who holds it from the list of accounts", where="holder_id")
    return found


def new_authorisation(values: dict[str, Any], kind: str, source_kind: str) -> NewAuthorisation:
    """The register entry a form or API body describes (dates parsed here; the service checks the rest)."""
    return NewAuthorisation(
        kind=kind, source_kind=source_kind,
        reference=form_values.text(values, "reference", "The minute or reference", limit=200),
        decided_on=form_values.day(values, "decided_on", "The date it was given"),
        scope=form_values.text(values, "scope", "What it covers", limit=2_000),
        expires_on=form_values.day(values, "expires_on", "The date it ends", required=False),
        channel=str(values.get("channel") or "").strip() or None)


# --- the register ----------------------------------------------------------------------------------------


def _register_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    today = date.today()
    entries = request.app.state.authorisations.all()
    context.setdefault("values", {})
    context.setdefault("error", None)
    context.setdefault("form", "")
    return page(request, "authorisations.html", status, title="Authorisations and designations", user=user,
                today=today, holders=holders(request), channels=request.app.state.authorisations.channels,
                designations=[a for a in entries if a.kind == "official-account"],
                authorities=[a for a in entries if a.kind != "official-account"],
                kinds={k: KIND_LABELS[k] for k in AUTHORITY_KINDS}, sources=SOURCE_LABELS,
                allowed_sources={k: SOURCES[k] for k in AUTHORITY_KINDS},
                done=_DONE.get(request.query_params.get("done", "")), **context)


_DONE = {"recorded": "The authorisation was recorded.", "designated": "The designation was recorded.",
         "revoked": "It was revoked.", "queued": "Your post is with the Proper Officer.",
         "approved": "The post was approved and kept as a record.", "returned": "The post was returned."}


@router.get("/authorisations", include_in_schema=False)
def register(request: Request, user: User = Depends(clerk)) -> Response:
    return _register_page(request, user)


@router.post("/authorisations", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def record(request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    which = str(form.get("form") or "authorisation")
    which = which if which in FORMS else "authorisation"
    values = {k: str(form.get(k) or "") for k in _AUTHORITY_FIELDS}
    try:
        if which == "designation":
            kind, source_kind = "official-account", "proper-officer-designation"
        else:
            kind, source_kind = values["kind"], values["source_kind"]
        who = holder(request, values["holder_id"])
        new = new_authorisation(values, kind, source_kind)
        request.app.state.authorisations.record(person(who), new, by=person(user))
    except (FormError, AuthorityError) as exc:
        error = exc if isinstance(exc, WebError) else as_web_error(exc)
        return _register_page(request, user, error.status, values=values, form=which,
                              error=FormError(error.message, where=f"{FORMS[which]}-{error.where.replace('_', '-')}"))
    done = "designated" if which == "designation" else "recorded"
    return RedirectResponse(f"/authorisations?done={done}#{which}s", 303)


@router.post("/authorisations/{authorisation_id}/revoke", dependencies=[Depends(auth.verify_csrf)],
             include_in_schema=False)
async def revoke(authorisation_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        request.app.state.authorisations.revoke(authorisation_id, by=person(user), reason=str(form.get("reason") or ""))
    except AuthorityError as exc:
        error = as_web_error(exc)
        where = f"reason-{authorisation_id}" if exc.where == "reason" else ""
        return _register_page(request, user, error.status, error=FormError(error.message, where=where))
    return RedirectResponse("/authorisations?done=revoked", 303)


# --- the queue -------------------------------------------------------------------------------------------


def _queue_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    posts = request.app.state.official_posts
    is_clerk = user.role is Role.PROPER_OFFICER
    context.setdefault("values", {})
    context.setdefault("error", None)
    context.setdefault("blocked", [])
    return page(request, "official_posts.html", status, title="The council's official accounts", user=user,
                channels=posts.channels, may_draft=posts.may_draft(person(user), date.today()), is_clerk=is_clerk,
                waiting=posts.waiting() if is_clerk else [], decided=posts.decided() if is_clerk else [],
                mine=posts.drafted_by(user.id), done=_DONE.get(request.query_params.get("done", "")), **context)


@router.get("/official-posts", include_in_schema=False)
def queue(request: Request, user: User = Depends(queue_user)) -> Response:
    return _queue_page(request, user)


@router.post("/official-posts", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def draft(request: Request, user: User = Depends(queue_user)) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in ("channel", "text")}
    try:
        request.app.state.official_posts.draft(person(user), channel=values["channel"], text=values["text"],
                                               on=date.today())
    except PostBlocked as exc:
        blocked = [(f, evidence_views(f, values["text"].strip())) for f in exc.report.findings]
        return _queue_page(request, user, 422, values=values, blocked=blocked,
                           error=FormError(exc.message, where="text"))
    except AuthorityError as exc:
        return _queue_page(request, user, as_web_error(exc).status, values=values, error=as_web_error(exc))
    return RedirectResponse("/official-posts?done=queued#mine", 303)


@router.post("/official-posts/{post_id}/approve", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def approve(post_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        request.app.state.official_posts.approve(post_id, by=person(user), note=str(form.get("note") or ""),
                                                 on=date.today())
    except AuthorityError as exc:
        error = as_web_error(exc)
        where = f"note-{post_id}" if exc.where == "note" else f"post-{post_id}"
        return _queue_page(request, user, error.status, error=FormError(error.message, where=where))
    return RedirectResponse("/official-posts?done=approved#waiting", 303)


@router.post("/official-posts/{post_id}/return", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def send_back(post_id: int, request: Request, user: User = Depends(clerk)) -> Response:
    form = await request.form()
    try:
        request.app.state.official_posts.return_to_drafter(post_id, by=person(user),
                                                           reason=str(form.get("reason") or ""))
    except AuthorityError as exc:
        error = as_web_error(exc)
        where = f"reason-{post_id}" if exc.where == "reason" else f"post-{post_id}"
        return _queue_page(request, user, error.status, error=FormError(error.message, where=where))
    return RedirectResponse("/official-posts?done=returned#waiting", 303)
