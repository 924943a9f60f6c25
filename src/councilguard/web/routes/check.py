"""The check page: a draft in, the verdict and each finding out, with one-click fixes. Nothing is kept.

A fix is chosen by its place in the report (finding, fix) and the draft is checked again before it is
applied, so only a fix the checker really offered for this very text can be applied.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from councilguard.errors import MessageError
from councilguard.model import Report
from councilguard.web import auth
from councilguard.web.drafts import ACCOUNTS, KINDS, DraftForm, evidence_views, verdict_words
from councilguard.web.roles import CHECKERS, require
from councilguard.web.templating import page
from councilguard.web.users import User

router = APIRouter()
checker_role = require(*CHECKERS)


def run_check(request: Request, user: User, draft: DraftForm, *, count: bool = True) -> Report:
    """Check ``draft`` as ``user`` with the app's one Checker; count the verdict, keep nothing else."""
    drafts = request.app.state.drafts
    return drafts.check(user, draft.message(drafts.author(user)), count=count)


def _show(request: Request, user: User, draft: DraftForm, report: Report | None = None, *,
          error: str | None = None, applied: str | None = None, status: int = 200) -> Response:
    findings = []
    if report is not None:
        findings = [(f, evidence_views(f, draft.text)) for f in report.findings]
    return page(request, "check.html", status, title="Check a draft", user=user, draft=draft, kinds=KINDS,
                accounts=ACCOUNTS, report=report, findings=findings, error=error, applied=applied,
                verdict_text=verdict_words(report) if report else None)


@router.get("/check", include_in_schema=False)
def check_form(request: Request, user: User = Depends(checker_role)) -> Response:
    return _show(request, user, DraftForm())


@router.post("/check", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def check(request: Request, user: User = Depends(checker_role)) -> Response:
    draft = DraftForm.from_form(await request.form())
    try:
        report = run_check(request, user, draft)
    except MessageError as exc:
        return _show(request, user, draft, error=exc.problem, status=422)
    return _show(request, user, draft, report)


@router.post("/check/fix", dependencies=[Depends(auth.verify_csrf)], include_in_schema=False)
async def apply_fix(request: Request, user: User = Depends(checker_role)) -> Response:
    form = await request.form()
    draft = DraftForm.from_form(form)
    try:
        report = run_check(request, user, draft, count=False)  # the report the fix was offered from
        finding_no, fix_no = int(str(form.get("finding", ""))), int(str(form.get("fix", "")))
        fix = report.findings[finding_no].fixes[fix_no]
    except MessageError as exc:
        return _show(request, user, draft, error=exc.problem, status=422)
    except (ValueError, IndexError):
        return _show(request, user, draft, error="that fix no longer fits the draft (was it edited?); "
                     "check it again to see the current fixes", status=409)
    fixed = DraftForm(**{**draft.__dict__, "text": fix.apply(draft.text)})
    return _show(request, user, fixed, run_check(request, user, fixed), applied=fix.label)
