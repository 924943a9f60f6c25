"""Council settings: the policy pack in use, and the settings the Clerk may change while the app runs.

What the pack decides (its rules, and what the relay does with mail that may breach the policy) is shown
but not edited: it is the policy the council adopted, changed by adopting a new version of the pack. The
run-time settings (see ``web.council_settings``) are validated, and every change is audited.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field

from councilguard.web import auth
from councilguard.web.council_settings import LABELS, MAX_KEPT_DRAFT_DAYS, CouncilSettings, problem
from councilguard.web.errors import FormError
from councilguard.web.roles import ACCOUNT_KEEPERS, require
from councilguard.web.routes.api_common import Body, pointed_at
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
keeper = require(*ACCOUNT_KEEPERS)
RELAY_WORDS = {"reject": "refused and returned to the sender with the reason", "hold": "held for the Clerk",
               "relay": "sent on", "fail-open": "sent on (and archived)", "fail-closed": "held (and archived)",
               "warn": "warnings only", "none": "nothing"}


def _pack(request: Request) -> dict[str, Any]:
    pack = request.app.state.checker.pack
    relay = pack.relay
    return {"id": pack.id, "name": pack.policy.pack.name, "version": pack.policy.pack.version,
            "council": pack.council.name, "rules": len(pack.rules),
            "relay": {"on_block": relay.on_block, "on_warn": relay.on_warn, "on_advice": relay.on_advice,
                      "on_checker_failure": relay.on_checker_failure, "override": relay.override}}


def _settings_page(request: Request, user: User, status: int = 200, error: FormError | None = None,
                   values: dict[str, Any] | None = None) -> Response:
    settings = request.app.state.council_settings.get()
    return page(request, "council_settings.html", status, title="Council settings", user=user, pack=_pack(request),
                relay_words=RELAY_WORDS, settings=values or settings.model_dump(), labels=LABELS,
                max_days=MAX_KEPT_DRAFT_DAYS, error=error, saved=request.query_params.get("saved") == "1")


@router.get("/settings", include_in_schema=False)
def settings_page(request: Request, user: User = Depends(keeper)) -> Response:
    return _settings_page(request, user)


@router.post("/settings", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def save_settings(request: Request, user: User = Depends(keeper)) -> Response:
    form = await request.form()
    typed = str(form.get("kept_draft_days") or "").strip()
    values = {"drafts_may_be_kept": form.get("drafts_may_be_kept") == "yes", "kept_draft_days": typed}
    try:
        if not typed.isdigit():
            raise FormError(problem("kept_draft_days", typed), where="kept_draft_days")
        request.app.state.council_settings.save({**values, "kept_draft_days": int(typed)}, user)
    except FormError as exc:
        return _settings_page(request, user, exc.status, exc, values)
    return RedirectResponse("/settings?saved=1", 303)


# --- the JSON API ---------------------------------------------------------------------------------------


class RelayOut(BaseModel):
    on_block: str = Field(description="What the relay does with mail that would breach the policy")
    on_warn: str
    on_advice: str
    on_checker_failure: str
    override: str = Field(description="Which findings a sender may override with a justification")


class PackOut(BaseModel):
    id: str = Field(examples=["croxley-green-pc"])
    name: str
    version: str
    council: str = Field(examples=["Croxley Green Parish Council"])
    rules: int = Field(description="How many rules the pack has")
    relay: RelayOut = Field(description="Set by the pack: changed by adopting a new version of it")


class SettingsOut(BaseModel):
    settings: CouncilSettings
    pack: PackOut


class SettingsIn(Body):
    """The settings to change; any left out stay as they are. Checked by the same rules as the page."""

    drafts_may_be_kept: bool | None = Field(None, strict=True, description=LABELS["drafts_may_be_kept"])
    kept_draft_days: int | None = Field(None, strict=True, examples=[30],
                                        description=f"{LABELS['kept_draft_days']} (1 to {MAX_KEPT_DRAFT_DAYS})",
                                        json_schema_extra={"minimum": 1, "maximum": MAX_KEPT_DRAFT_DAYS})


def _out(request: Request, settings: CouncilSettings) -> SettingsOut:
    return SettingsOut(settings=settings, pack=PackOut(**_pack(request)))


@router.get("/api/settings", response_model=SettingsOut, tags=["settings"])
def get_settings(request: Request, user: User = Depends(keeper)) -> SettingsOut:
    """The council's run-time settings, and the policy pack in use."""
    return _out(request, request.app.state.council_settings.get())


@router.put("/api/settings", response_model=SettingsOut, tags=["settings"], dependencies=[Depends(auth.verify_csrf)])
def put_settings(body: SettingsIn, request: Request, user: User = Depends(keeper)) -> SettingsOut:
    """Change some of the council's run-time settings; each change is audited."""
    changes = body.model_dump(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise FormError(f"{name} cannot be null; leave it out to keep it as it is", where=f"body.{name}")
    with pointed_at({name: f"body.{name}" for name in SettingsIn.model_fields}):
        settings, _done = request.app.state.council_settings.save(changes, user)
    return _out(request, settings)
