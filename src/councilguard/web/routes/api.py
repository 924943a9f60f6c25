"""The JSON API: check a message, list the pack's rules. Errors share one shape (see ``web.errors``).

Calls are authenticated by the session cookie, so a POST must also send the ``X-CSRF-Token`` header
(the token is in the ``csrf-token`` meta tag of every page).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Request

from councilguard.model import Message
from councilguard.web import auth
from councilguard.web.roles import ANYONE, CHECKERS, require
from councilguard.web.users import User

router = APIRouter(prefix="/api", tags=["checking"])

EXAMPLE = {"kind": "post", "channel": "facebook", "account": "personal",
           "text": "Come to the meeting on Tuesday to hear about the new play area."}


def message_schema() -> dict[str, Any]:
    """The check contract's message as the API takes it, for the OpenAPI document.

    The model's own JSON schema, its definitions written in place (an OpenAPI request body cannot point
    into ``$defs``), without what the API sets itself (``author``, ``authorisations``: always the signed-in
    user's) and without an attachment's ``path`` (a file on the server's disk, refused here).
    """
    schema = Message.model_json_schema(by_alias=True)
    defs = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return inline(defs[ref.removeprefix("#/$defs/")])
            return {k: inline(v) for k, v in node.items()}
        return [inline(v) for v in node] if isinstance(node, list) else node

    schema = inline(schema)
    for ignored in ("author", "authorisations"):
        schema["properties"].pop(ignored)
    schema["properties"]["attachments"]["items"]["properties"].pop("path")
    schema["description"] = ("One draft or e-mail to check, in the batch contract's shape. Only `text` is "
                             "required; unknown fields are ignored; the author is always the signed-in user.")
    return schema


@router.post("/check", dependencies=[Depends(auth.verify_csrf)],
             openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                 "schema": message_schema()}}}})
def check(request: Request, message: dict[str, Any] = Body(..., examples=[EXAMPLE]),
          user: User = Depends(require(*CHECKERS))) -> dict[str, Any]:
    """Check one message (the check contract's shape; ``text`` is required). The author is always you.

    Returns ``Report.to_dict()``: ``id``, ``verdict`` (ok, advice, warn, block) and ``findings``.
    The text is not stored; only the day's count of checks per verdict is.
    """
    return request.app.state.drafts.check(user, message).to_dict()


@router.get("/rules")
def rules(request: Request, user: User = Depends(require(*ANYONE))) -> list[dict[str, Any]]:
    """The policy pack's rules: id, title, severity, clause and the clause's words."""
    pack = request.app.state.drafts.pack
    return [{"id": r.id, "title": r.title, "severity": r.severity.value, "clause": r.clause,
             "clause_text": r.clause_text.strip(), "docs": pack.docs_link(r.id)} for r in pack.rules]
