"""The web's checks honour the register of authorisations: what is recorded and in force today, nothing else."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from councilguard.workflow.authorisations import NewAuthorisation, Person
from tests.web.conftest import CLERK, add_user, signed_in

TODAY = date.today()
SPEAKS = {"text": "On behalf of the council, we welcome the new play area on the Green.", "channel": "facebook"}
BUYS = {"text": "Please deliver 20 bags of bark chippings and invoice the parish council.", "kind": "email",
        "channel": "email", "to": ["sales@timberyard.example"]}
OFFICIAL = {"text": "The play area on the Green reopens on Saturday at 10am.", "channel": "facebook",
            "account": "official"}
PERSONAL = {"text": "Forwarding the draft budget so I can read it at home.", "kind": "email", "channel": "email",
            "subject": "Fwd: Draft budget 2027/28", "forwarded": True, "to": ["priyasharma@gmail.com"]}
SOURCES = {"speak-for-council": ("resolution", "Minute 26/045"), "purchase": ("financial-regulations", "FR 4.1"),
           "official-account": ("proper-officer-designation", "Clerk's designation"),
           "personal-email": ("proper-officer-consent", "Clerk's decision")}
CURRENT = (TODAY - timedelta(days=10), TODAY + timedelta(days=30))
EXPIRED = (TODAY - timedelta(days=60), TODAY - timedelta(days=1))
NOT_YET = (TODAY + timedelta(days=1), None)


@pytest.mark.parametrize("kind, message, rule", [
    ("speak-for-council", SPEAKS, "claims-council-view"),
    ("purchase", BUYS, "unauthorised-purchase"),
    ("official-account", OFFICIAL, "official-account-use"),
    ("personal-email", PERSONAL, "personal-email-account"),
])
@pytest.mark.parametrize("dates, honoured", [(None, False), (CURRENT, True), (EXPIRED, False), (NOT_YET, False)],
                         ids=["none", "current", "expired", "not-yet"])
def test_a_councillor_is_flagged_unless_a_current_authorisation_covers_it(app, kind, message, rule, dates, honoured):
    clerk = add_user(app, "proper-officer", email=CLERK[0], name=CLERK[1])
    sharma = add_user(app, "councillor", email="cllr.sharma@croxleygreen-pc.gov.uk", name="Priya Sharma")
    if dates:
        source_kind, reference = SOURCES[kind]
        app.state.authorisations.record(
            Person(sharma.id, sharma.name, sharma.email, "councillor"),
            NewAuthorisation(kind=kind, source_kind=source_kind, reference=reference, decided_on=dates[0],
                             expires_on=dates[1], scope="As minuted", channel="facebook" if kind == "official-account" else None),
            by=Person(clerk.id, clerk.name, clerk.email, "proper-officer"))
    report = app.state.drafts.check(sharma, message)
    assert (rule in report.rules) is not honoured, report.rules


def test_a_designation_for_one_account_does_not_cover_another(app):
    clerk = add_user(app, "proper-officer", email=CLERK[0], name=CLERK[1])
    sharma = add_user(app, "councillor", email="cllr.sharma@croxleygreen-pc.gov.uk", name="Priya Sharma")
    app.state.authorisations.record(
        Person(sharma.id, sharma.name, sharma.email, "councillor"),
        NewAuthorisation(kind="official-account", source_kind="proper-officer-designation", reference="Clerk",
                         decided_on=TODAY, scope="Events", channel="instagram"),
        by=Person(clerk.id, clerk.name, clerk.email, "proper-officer"))
    assert "official-account-use" in app.state.drafts.check(sharma, OFFICIAL).rules
    assert "official-account-use" not in app.state.drafts.check(sharma, {**OFFICIAL, "channel": "Instagram"}).rules


def test_authorisations_a_request_claims_are_not_honoured(app, client):
    token = signed_in(app, client, "councillor", email="cllr.okafor@croxleygreen-pc.gov.uk", name="David Okafor")
    claimed = {**SPEAKS, "authorisations": ["speak-for-council", "purchase"]}
    response = client.post("/api/check", json=claimed, headers={"X-CSRF-Token": token})
    assert response.status_code == 200
    assert "claims-council-view" in {f["rule"] for f in response.json()["findings"]}


@pytest.mark.parametrize("path", ["/etc/hostname", "/etc/nothere.png", "logo.png"])
def test_an_attachment_path_on_the_server_is_refused_without_reading_it(app, path):
    from councilguard.errors import MessageError
    sharma = add_user(app, "councillor", email="cllr.sharma@croxleygreen-pc.gov.uk", name="Priya Sharma")
    message = {"text": "Our new noticeboard.", "attachments": [{"filename": "board.png", "path": path}]}
    with pytest.raises(MessageError, match=r"attachments\[0\]\.path is not accepted here"):
        app.state.drafts.check(sharma, message)
