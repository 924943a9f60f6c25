"""The check page: a draft in, the verdict and each finding out, with one-click fixes. Nothing is kept
unless its author ticks "Keep this draft" (see ``web.kept_drafts``: theirs alone, deleted after the
council's period).

A fix is chosen by its place in the report (finding, fix) and the draft is checked again before it is
applied, so only a fix the checker really offered for this very text can be applied.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from councilguard.errors import MessageError
from councilguard.model import Report
from councilguard.web import auth
from councilguard.web.checking import Picture
from councilguard.web.drafts import ACCOUNTS, KINDS, DraftForm, evidence_views, verdict_words
from councilguard.web.errors import NotFoundHere, WebError
from councilguard.web.kept_drafts import KeptDraft, draft_id
from councilguard.web.remarks import MAX_SCREENSHOT, image_type
from councilguard.web.roles import CHECKERS, require
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
checker_role = require(*CHECKERS)


def run_check(request: Request, user: User, draft: DraftForm, *, count: bool = True,
              pictures: tuple[Picture, ...] = ()) -> Report:
    """Check ``draft`` as ``user`` with the app's one Checker; count the verdict, keep nothing else."""
    drafts = request.app.state.drafts
    return drafts.check(user, draft.message(drafts.author(user)), count=count, pictures=pictures)


async def picture_in(form) -> tuple[Picture, ...]:
    """The picture chosen on the form, if any (checked for the council's logo, never kept).
    Raises MessageError when it is too big or not an image."""
    upload = form.get("picture")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return ()
    data = await upload.read(MAX_SCREENSHOT + 1)
    if not data:
        return ()
    if len(data) > MAX_SCREENSHOT:
        raise MessageError(f"the picture is larger than {MAX_SCREENSHOT // (1024 * 1024)} MB; a smaller copy will do")
    try:
        kind = image_type(data)
    except WebError:
        raise MessageError("the picture is not a PNG, JPEG, GIF or WebP image") from None
    return (Picture(upload.filename, kind, data),)


def show_check(request: Request, user: User, draft: DraftForm, report: Report | None = None, *,
               error: str | None = None, applied: str | None = None, status: int = 200,
               kept: KeptDraft | None = None, ticked: bool = False, just_kept: bool = False,
               keep_error: str | None = None) -> Response:
    """The check page for ``draft``; ``kept`` when it is one of the person's kept drafts."""
    findings = []
    if report is not None:
        findings = [(f, evidence_views(f, draft.text)) for f in report.findings]
    keeping = request.app.state.kept_drafts.choice(user, kept=kept, ticked=ticked, just_kept=just_kept)
    return page(request, "check.html", status, title="Check a draft", user=user, draft=draft, kinds=KINDS,
                accounts=ACCOUNTS, report=report, findings=findings, error=error, applied=applied,
                verdict_text=verdict_words(report) if report else None, keeping=keeping, keep_error=keep_error)


def _kept_in(request: Request, user: User, form) -> KeptDraft | None:
    """The person's own kept draft the form holds (its hidden ``draft`` field), if it is still there."""
    try:
        return request.app.state.kept_drafts.find(user, draft_id(form.get("draft")))
    except NotFoundHere:
        return None


def _shown(request: Request, user: User, form, draft: DraftForm, report: Report, kept: KeptDraft | None,
           applied: str | None = None) -> Response:
    """Show the report; first keep the draft if "Keep this draft" is ticked (over the kept one it came from)."""
    if form.get("keep") != "yes":
        return show_check(request, user, draft, report, applied=applied, kept=kept)
    try:
        kept = request.app.state.kept_drafts.keep(user, draft, verdict=report.verdict,
                                                  replacing=kept.id if kept else None)
    except WebError as exc:
        return show_check(request, user, draft, report, applied=applied, kept=kept, ticked=True,
                          keep_error=exc.message, status=exc.status)
    return show_check(request, user, draft, report, applied=applied, kept=kept, just_kept=True)


@router.get("/check", include_in_schema=False)
def check_form(request: Request, user: User = Depends(checker_role)) -> Response:
    return show_check(request, user, DraftForm())


@router.post("/check", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def check(request: Request, user: User = Depends(checker_role)) -> Response:
    form = await request.form()
    draft, kept = DraftForm.from_form(form), _kept_in(request, user, form)
    try:
        report = run_check(request, user, draft, pictures=await picture_in(form))
    except MessageError as exc:
        return show_check(request, user, draft, error=exc.problem, status=422, kept=kept,
                          ticked=form.get("keep") == "yes")
    return _shown(request, user, form, draft, report, kept)


@router.post("/check/fix", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def apply_fix(request: Request, user: User = Depends(checker_role)) -> Response:
    form = await request.form()
    draft, kept = DraftForm.from_form(form), _kept_in(request, user, form)
    try:
        report = run_check(request, user, draft, count=False)  # the report the fix was offered from
        finding_no, fix_no = int(str(form.get("finding", ""))), int(str(form.get("fix", "")))
        fix = report.findings[finding_no].fixes[fix_no]
    except MessageError as exc:
        return show_check(request, user, draft, error=exc.problem, status=422, kept=kept)
    except (ValueError, IndexError):
        return show_check(request, user, draft, error="that fix no longer fits the draft (was it edited?); "
                          "check it again to see the current fixes", status=409, kept=kept)
    fixed = DraftForm(**{**draft.__dict__, "text": fix.apply(draft.text)})
    return _shown(request, user, form, fixed, run_check(request, user, fixed), kept, applied=fix.label)
