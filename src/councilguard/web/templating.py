"""The Jinja2 environment: autoescaping templates with the CSRF token and the user at hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse

from councilguard.web.auth import csrf_token, optional_user
from councilguard.web.roles import ACCOUNT_KEEPERS, CHECKERS, Role

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))


def _rule_titles(request: Request) -> dict[str, str]:
    """Each rule's title in the council's pack ("Untrue statements"), which findings show beside the rule id."""
    checker = getattr(request.app.state, "checker", None)
    return {r.id: r.title for r in checker.pack.rules} if checker is not None else {}


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render ``name`` with what every page needs: user, CSRF token, and which links to offer."""
    user = context.pop("user", None) or optional_user(request)
    context.update(user=user, csrf=csrf_token(request),
                   can_check=bool(user and user.role in CHECKERS),
                   can_keep_accounts=bool(user and user.role in ACCOUNT_KEEPERS),
                   is_councillor=bool(user and user.role is Role.COUNCILLOR),
                   can_read_policy=bool(user and user.role in CHECKERS),
                   can_use_desk=bool(user and user.role is Role.PROPER_OFFICER),
                   can_keep_drafts=bool(user and user.role in (Role.COUNCILLOR, Role.STAFF)),
                   rule_titles=_rule_titles(request))
    return templates.TemplateResponse(request, name, context, status_code=status)
