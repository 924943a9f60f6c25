"""First-run set-up, sign-in and sign-out, and the privacy notice shown at a person's first sign-in.

``/setup`` exists only while there are no accounts: it makes the Proper Officer's account and is then
closed (404). Sign-in is rate-limited per account and per address (see ``web.auth.SignInLimiter``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from councilguard.web import auth
from councilguard.web.errors import AccountError, TooManySignIns
from councilguard.web.privacy_notice import NOTICE_EDITION
from councilguard.web.roles import ANYONE, CHECKERS, Role, public
from councilguard.web.templating import page

router = APIRouter()


def _home_for(role: Role) -> str:
    return "/check" if role in CHECKERS else "/accounts"


def _local(path: str) -> str:
    """``path`` if it is a page of this site (``/check``), else "" (never ``//evil.example`` or a URL)."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else ""


@router.get("/", dependencies=[Depends(public)], include_in_schema=False)
def home(request: Request) -> Response:
    user = auth.optional_user(request)
    if user is None:
        return RedirectResponse("/setup" if request.app.state.users.count() == 0 else "/sign-in", 303)
    return RedirectResponse("/welcome" if not user.privacy_seen else _home_for(user.role), 303)


def _setup_open(request: Request) -> None:
    if request.app.state.users.count() > 0:
        raise HTTPException(404, "set-up is done: the Proper Officer's account exists")


@router.get("/setup", dependencies=[Depends(public), Depends(_setup_open)], include_in_schema=False)
def setup_form(request: Request) -> Response:
    return page(request, "setup.html", title="Set up councilguard", values={}, error=None)


@router.post("/setup", dependencies=[Depends(public), Depends(auth.verify_csrf), Depends(_setup_open)],
             include_in_schema=False)
async def setup(request: Request) -> Response:
    form = await request.form()
    values = {k: str(form.get(k, "")) for k in ("email", "name")}
    try:
        user = request.app.state.users.create(email=values["email"], name=values["name"],
                                              role=Role.PROPER_OFFICER.value,
                                              password=str(form.get("password", "")), created_by="first-run set-up")
    except AccountError as exc:
        return page(request, "setup.html", 422, title="Set up councilguard", values=values, error=exc)
    auth.sign_in(request, user)
    return RedirectResponse("/welcome", 303)


@router.get("/sign-in", dependencies=[Depends(public)], include_in_schema=False)
def sign_in_form(request: Request) -> Response:
    if request.app.state.users.count() == 0:
        return RedirectResponse("/setup", 303)
    return page(request, "sign_in.html", title="Sign in", email="", error=None,
                next_url=_local(request.query_params.get("next", "")))


@router.post("/sign-in", dependencies=[Depends(public), Depends(auth.verify_csrf)], include_in_schema=False)
async def sign_in(request: Request) -> Response:
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    next_url = _local(str(form.get("next", "")))
    limiter: auth.SignInLimiter = request.app.state.limiter
    keys = auth.limiter_keys(request, email)
    try:
        limiter.check(*keys)
    except TooManySignIns as exc:
        return page(request, "sign_in.html", exc.status, title="Sign in", email=email, error=exc.message,
                    next_url=next_url)
    # argon2 takes tens of milliseconds of CPU on purpose: off the event loop, so checks are not queued behind it
    user = await run_in_threadpool(request.app.state.users.authenticate, email, password)
    if user is None:
        limiter.failed(*keys)
        return page(request, "sign_in.html", 401, title="Sign in", email=email,
                    error="That e-mail address and password do not match an account.", next_url=next_url)
    limiter.succeeded(keys[0])
    auth.sign_in(request, user)
    return RedirectResponse("/welcome" if not user.privacy_seen else next_url or _home_for(user.role), 303)


@router.post("/sign-out", dependencies=[Depends(public), Depends(auth.verify_csrf)], include_in_schema=False)
def sign_out(request: Request) -> Response:
    auth.sign_out(request)
    return RedirectResponse("/sign-in", 303)


def _signed_in(request: Request):
    return auth.current_user(request)  # the welcome page itself must not demand the notice be read


_signed_in.roles = ANYONE  # type: ignore[attr-defined]


@router.get("/welcome", include_in_schema=False)
def welcome(request: Request, user=Depends(_signed_in)) -> Response:
    return page(request, "welcome.html", title="What councilguard keeps", user=user,
                next_url=_home_for(user.role), settings=request.app.state.council_settings.get(),
                edition=NOTICE_EDITION)


@router.post("/welcome", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
def welcome_seen(request: Request, user=Depends(_signed_in)) -> Response:
    request.app.state.users.mark_privacy_seen(user.id)
    return RedirectResponse(_home_for(user.role), 303)
