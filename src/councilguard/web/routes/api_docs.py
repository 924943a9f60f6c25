"""A page describing the JSON API, for people signed in: what each operation does and who may use it.

Swagger UI would load its scripts from a CDN and run inline code, which the app's Content Security
Policy forbids and an offline parish office may not reach; this page is rendered here from the same
OpenAPI document (``/api/openapi.json``) with no script at all.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from councilguard.web.roles import ANYONE, Role, require
from councilguard.web.routes.api_openapi import OPENAPI_URL, api_routes
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()


def _who(app) -> dict[tuple[str, str], str]:
    """(method, path) -> the roles its guard lets in, in words."""
    found = {}
    for route in api_routes(app.routes):
        roles = [r for d in route.dependant.dependencies for r in getattr(d.call, "roles", ())]
        words = "anyone signed in" if set(roles) >= set(Role) else ", ".join(r.label for r in roles)
        found.update({(m.lower(), route.path): words for m in route.methods})
    return found


def operations(app) -> list[dict[str, Any]]:
    """Every operation of the document, grouped in the order of its tags."""
    spec, who = app.openapi(), _who(app)
    order = {t["name"]: i for i, t in enumerate(spec.get("tags", []))}
    found = [{"method": method.upper(), "path": path, "summary": op.get("summary", ""),
              "description": (op.get("description") or "").split("\n\n")[0].replace("``", ""),
              "tag": (op.get("tags") or ["other"])[0], "who": who.get((method, path), "")}
             for path, ops in spec["paths"].items() for method, op in ops.items()]
    return sorted(found, key=lambda o: (order.get(o["tag"], len(order)), o["path"], o["method"]))


@router.get("/api-docs", include_in_schema=False)
def api_docs(request: Request, user: User = Depends(require(*ANYONE))) -> Response:
    spec = request.app.openapi()
    return page(request, "api_docs.html", title="The councilguard API", user=user,
                operations=operations(request.app), openapi_url=OPENAPI_URL,
                tags={t["name"]: t["description"] for t in spec.get("tags", [])})
