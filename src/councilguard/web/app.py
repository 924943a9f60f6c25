"""Build the web app: one database, one Checker, the routes, and one shape for every error.

``create_app(settings)`` does all the work that may fail (database migration, policy pack) before the
app serves a single request, so a bad pack or an unreachable database stops ``councilguard serve`` with
a clear message instead of failing on the first check. The Checker is built once and shared: building
it binds every rule and loads the models.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager, suppress
from urllib.parse import quote

from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware

from councilguard.engine import Checker
from councilguard.errors import MessageError
from councilguard.records import db
from councilguard.records.archive import Archive
from councilguard.records.requests import Requests
from councilguard.web.account_changes import AccountChanges
from councilguard.web.acknowledgements import Acknowledgements
from councilguard.web.auth import SignInLimiter
from councilguard.web.check_counts import CheckCounts
from councilguard.web.checking import DraftChecker, checks_by_id
from councilguard.web.consents import ConsentRequests
from councilguard.web.council_settings import CouncilSettingsStore
from councilguard.web import desk_audit
from councilguard.web.desk_audit import DeskAudit
from councilguard.web.errors import NotSignedIn, PrivacyNoticeUnseen, WebError
from councilguard.web.kept_drafts import KeptDrafts, purge_periodically
from councilguard.web.incident_desk import acknowledged_by, remark_lookup
from councilguard.web.policy_review import PolicyReview
from councilguard.web.remarks import RemarkReports
from councilguard.web.retention_changes import RetentionChanges
from councilguard.web.routes import audit, council_settings, my_drafts, retention, roster
from councilguard.web.routes import accounts, api, api_councillor, api_desk, api_docs, api_openapi, api_session, auth, check, councillor, desk
from councilguard.web.routes import api_official, official
from councilguard.web.routes import api_governance, api_incidents, governance, incidents
from councilguard.web.settings import WebSettings
from councilguard.web.templating import HERE, page
from councilguard.web.users import UserStore
from councilguard.workflow.attestations import Attestations
from councilguard.workflow.authorisations import Authorisations
from councilguard.workflow.governance_pack import GovernancePacks
from councilguard.workflow.incidents import Incidents
from councilguard.workflow.official_posts import OfficialPosts
from councilguard.workflow.policy_versions import PolicyVersions

SESSION_COOKIE = "councilguard_session"
ROUTERS = (auth.router, accounts.router, check.router, api.router, councillor.router, desk.router,
           api_session.router, api_councillor.router, api_desk.router, api_docs.router,
           official.router, api_official.router,
           my_drafts.router, roster.router, council_settings.router, retention.router,
           audit.router,
           incidents.router, api_incidents.router, governance.router, api_governance.router)  # every route of the app, by area
_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(settings: WebSettings | None = None, *, checker: Checker | None = None,
               hasher: PasswordHasher | None = None) -> FastAPI:
    """The app for ``settings``. Tests pass an already built ``checker`` to share, and a cheaper argon2
    ``hasher``; by default argon2-cffi's recommended parameters are used."""
    settings = settings or WebSettings()
    checker = checker or Checker.from_pack(settings.policy)  # first: a bad pack leaves no database behind
    engine = db.make_engine(settings.db_url)
    if settings.migrate:
        db.upgrade(engine)
    if settings.warm_up:
        checker.warm_up()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        _app.state.kept_drafts.purge()  # drafts past their date go before the first request is served
        purging = asyncio.create_task(purge_periodically(_app.state.kept_drafts, settings.purge_every))
        yield
        purging.cancel()
        with suppress(asyncio.CancelledError):
            await purging
        engine.dispose()

    app = FastAPI(title="councilguard", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=api_openapi.OPENAPI_URL,
                  description="Check a draft against the council's social media and e-mail policy before it "
                              "goes out. A draft is not stored unless its author chooses to keep it, and "
                              "then only its author can read it.")
    factory = db.sessions(engine)
    app.state.settings = settings
    app.state.checker = checker
    app.state.users = UserStore(factory, hasher)
    app.state.counts = CheckCounts(factory)
    council = checker.pack.council
    app.state.authorisations = Authorisations(factory, audit=desk_audit.write,
                                              channels={a.channel: a.handle for a in council.official_accounts})
    app.state.drafts = DraftChecker(checker, app.state.counts, app.state.authorisations)
    app.state.archive = Archive(engine)
    app.state.official_posts = OfficialPosts(factory, check=checks_by_id(app.state.drafts, app.state.users),
                                             archive=app.state.archive, authorisations=app.state.authorisations,
                                             audit=desk_audit.write, council_name=council.name)
    app.state.requests = Requests(app.state.archive)
    app.state.remarks = RemarkReports(factory)
    app.state.consents = ConsentRequests(factory)
    app.state.acknowledgements = Acknowledgements(factory)
    app.state.policy_versions = PolicyVersions(factory, audit=desk_audit.write,
                                               acknowledged_by=acknowledged_by(app.state.acknowledgements))
    app.state.policy_review = PolicyReview(factory, app.state.policy_versions)
    app.state.incidents = Incidents(factory, app.state.archive, checker.pack, audit=desk_audit.write,
                                    remarks=remark_lookup(factory))
    app.state.attestations = Attestations(factory, audit=desk_audit.write)
    app.state.governance = GovernancePacks(factory, app.state.archive, app.state.policy_versions,
                                           app.state.attestations, audit=desk_audit.write)
    app.state.desk_audit = DeskAudit(factory)
    app.state.council_settings = CouncilSettingsStore(factory, settings.now)
    app.state.kept_drafts = KeptDrafts(factory, app.state.council_settings, settings.now)
    app.state.account_changes = AccountChanges(factory, checker.pack.council)
    app.state.retention = RetentionChanges(factory, settings.now)
    app.state.limiter = SignInLimiter(settings.sign_in_failures, settings.sign_in_window, settings.clock)

    @app.middleware("http")
    async def security_headers(request: Request, call_next) -> Response:
        response = await call_next(request)
        for name, value in _HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")  # pages may show a draft
        return response

    app.add_middleware(SessionMiddleware, secret_key=settings.signing_key(), session_cookie=SESSION_COOKIE,
                       max_age=settings.session_max_age, same_site="lax", https_only=settings.https_only)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _error_handlers(app)
    api_openapi.install(app, SESSION_COOKIE)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _api_error(status: int, code: str, message: str, where: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "where": where}}, status_code=status)


def _error_page(request: Request, status: int, message: str) -> Response:
    return page(request, "error.html", status, title="Sorry", code=status, message=message)


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        if _is_api(request):
            return JSONResponse(exc.to_dict(), status_code=exc.status)
        if isinstance(exc, NotSignedIn):
            return RedirectResponse(f"/sign-in?next={quote(request.url.path)}", 303)
        if isinstance(exc, PrivacyNoticeUnseen):
            return RedirectResponse("/welcome", 303)
        return _error_page(request, exc.status, exc.message)

    @app.exception_handler(MessageError)
    async def message_error(request: Request, exc: MessageError) -> Response:
        where = "body" + (f" line {exc.line}" if exc.line is not None else "") + (
            f" (message id {exc.id})" if exc.id else "")
        if _is_api(request):
            return _api_error(422, "invalid-message", exc.problem, where)
        return _error_page(request, 422, exc.problem)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        err = exc.errors()[0] if exc.errors() else {}
        loc = ".".join(str(p) for p in err.get("loc", ())) or "body"
        message = str(err.get("msg", "the request is not valid"))
        if err.get("type") == "json_invalid":
            message = f"the body is not valid JSON ({err.get('ctx', {}).get('error', 'cannot parse it')})"
            position = [p for p in err.get("loc", ()) if isinstance(p, int)]
            loc = f"body, character {position[0]}" if position else "body"
        elif err.get("type") == "missing":
            message = f"{loc} is required"
        if _is_api(request):
            return _api_error(422, "invalid-request", message, loc)
        return _error_page(request, 422, message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        words = {404: "not-found", 405: "method-not-allowed"}
        message = str(exc.detail) if exc.detail else "something went wrong"
        if exc.status_code == 404 and message == "Not Found":
            message = f"there is no page at {request.url.path}"
        if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):  # FastAPI's words for it are vague
            if _is_api(request):
                return _api_error(422, "invalid-request", "the body is not UTF-8 text, so it cannot be read as JSON",
                                  "body")
            message = "the form could not be read (it is not UTF-8 text)"
        if _is_api(request):
            answer = _api_error(exc.status_code, words.get(exc.status_code, f"http-{exc.status_code}"), message,
                                request.url.path)
            answer.headers.update(exc.headers or {})  # e.g. Allow on 405
            return answer
        return _error_page(request, exc.status_code, message)
