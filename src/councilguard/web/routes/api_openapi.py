"""The OpenAPI document of the JSON API, served at ``/api/openapi.json``.

FastAPI describes each route's own answer; this adds what every ``/api/`` route has in common, so no
route has to repeat it: the session cookie and ``X-CSRF-Token`` header as security schemes, and the
error answers (401, 403, 404, 422) in the one error shape instead of FastAPI's own validation shape.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from councilguard.web.auth import CSRF_HEADER
from councilguard.web.routes.api_common import ErrorOut

OPENAPI_URL = "/api/openapi.json"
_SAFE = {"get", "head", "options"}
_ERRORS = {
    "401": "Not signed in: sign in at /sign-in and send the session cookie",
    "403": f"Your role may not do this, or a change came without the session's {CSRF_HEADER} header",
    "404": "There is no such row, or it is not yours to see (the same answer for both)",
    "422": "The request could not be used; the error says what was wrong and where",
}
_TAGS = [
    {"name": "checking", "description": "Check a draft against the policy. Drafts are never stored."},
    {"name": "session", "description": "Who you are signed in as, and your CSRF token."},
    {"name": "remarks", "description": "Report negative remarks to the Clerk instead of replying."},
    {"name": "consents", "description": "Ask to use a personal e-mail address for council business."},
    {"name": "policy", "description": "Read and acknowledge the current policy and e-mail notice."},
    {"name": "desk", "description": "The Proper Officer's desk. Every action is written to the desk's audit log."},
    {"name": "accounts", "description": "Add and list accounts (Proper Officer and administrators)."},
    {"name": "drafts", "description": "Drafts you chose to keep: yours alone, deleted after the council's period."},
    {"name": "roster", "description": "Roles, switching accounts off and on, and links to the council's roster. "
                                      "Audited."},
    {"name": "settings", "description": "The policy pack in use and the council's run-time settings. Audited."},
    {"name": "retention", "description": "How long each class of record is kept. Changes are audited."},
    {"name": "audit", "description": "The audit log of every desk and management action, newest first."},
    {"name": "authorisations", "description": "Authority to speak for the council or to spend, recorded with its "
                                              "source (resolution, delegation, financial regulations), scope and "
                                              "expiry; the checker and the relay honour it."},
    {"name": "official-posts", "description": "The official accounts' queue: authorised people draft, every draft "
                                              "is checked, the Proper Officer approves; approved posts are archived."},
    {"name": "incidents", "description": "The incident register, opened only from published material, a report or "
                                         "a held e-mail; evidence, outcomes and the Monitoring Officer referral."},
    {"name": "governance", "description": "Policy versions and adoption, attestations, and the evidence pack for "
                                          "the annual governance return."},
]


def install(app: FastAPI, session_cookie: str) -> None:
    """Make ``app.openapi()`` build (once) the document described above."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes, tags=_TAGS)
            app.openapi_schema = _completed(spec, session_cookie)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    """Every APIRoute of ``app.routes``, also inside included routers (FastAPI keeps those wrapped)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif getattr(route, "original_router", None) is not None:
            yield from api_routes(route.original_router.routes)


def _completed(spec: dict[str, Any], session_cookie: str) -> dict[str, Any]:
    components = spec.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(error.pop("$defs", {}))
    schemas["ErrorOut"] = error
    components["securitySchemes"] = {
        "session": {"type": "apiKey", "in": "cookie", "name": session_cookie,
                    "description": "The session cookie set by signing in at /sign-in"},
        "csrf": {"type": "apiKey", "in": "header", "name": CSRF_HEADER,
                 "description": "The session's CSRF token (GET /api/me), needed on every POST and PUT"},
    }
    for path, operations in spec.get("paths", {}).items():
        for method, operation in operations.items():
            if path.startswith("/api/"):
                _add_common(path, method, operation)
    used = str(spec["paths"])
    for unused in ("HTTPValidationError", "ValidationError"):
        if unused not in used:
            schemas.pop(unused, None)
    return spec


def _add_common(path: str, method: str, operation: dict[str, Any]) -> None:
    operation["security"] = [{"session": []}] if method in _SAFE else [{"session": [], "csrf": []}]
    responses = operation.setdefault("responses", {})
    statuses = ["401", "403"]
    if "{" in path:
        statuses.append("404")
    if operation.get("parameters") or operation.get("requestBody") or method not in _SAFE:
        statuses.append("422")
    for status in statuses:  # a route's own description stays; FastAPI's validation shape does not
        description = responses.get(status, {}).get("description")
        responses[status] = {"description": description if description and status != "422" else _ERRORS[status],
                             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
