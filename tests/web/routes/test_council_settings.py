"""The settings page and API: the pack in use is shown, the run-time settings are saved and audited, and a
value that cannot be used is refused with a message that names the field."""

from __future__ import annotations

import pytest

from tests.web.conftest import CLERK, signed_in


@pytest.fixture
def clerk(app, client):
    return signed_in(app, client, "proper-officer", email=CLERK[0], name=CLERK[1])


def test_the_page_shows_the_pack_and_the_relay_choices_it_makes(client, clerk):
    page = client.get("/settings").text
    assert "for Croxley Green Parish Council (21 rules; pack “croxley-green”)" in page
    assert "<th scope=\"row\">Mail that would breach the policy</th><td>refused and returned to the sender" in page
    assert 'id="kept_draft_days" name="kept_draft_days" type="number"' in page and 'value="30"' in page


def test_saving_changes_what_councillors_are_told_and_is_audited(app, client, clerk):
    saved = client.post("/settings", data={"csrf_token": clerk, "kept_draft_days": "14", "drafts_may_be_kept": "yes"},
                        follow_redirects=False)
    assert (saved.status_code, saved.headers["location"]) == (303, "/settings?saved=1")
    assert "The settings were saved." in client.get("/settings?saved=1").text
    councillor = client.__class__(app)
    signed_in(app, councillor, "councillor")
    assert "It is deleted after 14 days" in councillor.get("/check").text
    assert "14 days after you last kept it" in councillor.get("/welcome").text
    (entry,) = app.state.desk_audit.latest()
    assert (entry.action, entry.target_id, entry.detail) == ("setting-changed", "kept_draft_days",
                                                             {"before": 30, "after": 14})
    client.post("/settings", data={"csrf_token": clerk, "kept_draft_days": "14"})  # the box unticked
    assert 'name="drafts_may_be_kept" value="yes">' in client.get("/settings").text  # shown unticked
    assert 'name="keep"' not in councillor.get("/check").text
    assert "You may choose to keep a draft" not in councillor.get("/welcome").text


@pytest.mark.parametrize("days, complaint", [
    ("0", "How many days kept drafts last must be a whole number of days from 1 to 90 (you gave 0)"),
    ("91", "from 1 to 90 (you gave 91)"),
    ("thirty", "(you gave &#39;thirty&#39;)"),
    ("", "(you gave &#39;&#39;)"),
    ("7.5", "(you gave &#39;7.5&#39;)"),
    ("-3", "(you gave &#39;-3&#39;)"),
])
def test_a_bad_number_of_days_is_refused_beside_the_field(app, client, clerk, days, complaint):
    refused = client.post("/settings", data={"csrf_token": clerk, "kept_draft_days": days, "drafts_may_be_kept": "yes"})
    assert refused.status_code == 422
    assert complaint in refused.text and 'href="#kept_draft_days"' in refused.text
    assert f'value="{days}"' in refused.text  # what was typed is kept
    assert app.state.council_settings.get().kept_draft_days == 30 and app.state.desk_audit.latest() == []


def test_the_api_reads_and_changes_settings(app, client):
    token = signed_in(app, client, "administrator")
    got = client.get("/api/settings").json()
    assert got["settings"] == {"drafts_may_be_kept": True, "kept_draft_days": 30}
    assert got["pack"]["relay"]["on_block"] == "reject" and got["pack"]["council"] == "Croxley Green Parish Council"
    put = client.put("/api/settings", headers={"X-CSRF-Token": token}, json={"kept_draft_days": 7})
    assert put.status_code == 200 and put.json()["settings"] == {"drafts_may_be_kept": True, "kept_draft_days": 7}


@pytest.mark.parametrize("body, where, words", [
    ({"kept_draft_days": 0}, "body.kept_draft_days", "How many days kept drafts last must be a whole number"),
    ({"kept_draft_days": 365}, "body.kept_draft_days", "(you gave 365)"),
    ({"kept_draft_days": "30"}, "body.kept_draft_days", "Input should be a valid integer"),
    ({"kept_draft_days": 7.5}, "body.kept_draft_days", "Input should be a valid integer"),
    ({"drafts_may_be_kept": 1}, "body.drafts_may_be_kept", "Input should be a valid boolean"),
    ({"drafts_may_be_kept": None}, "body.drafts_may_be_kept", "cannot be null"),
    ({"kept_drafts_days": 7}, "body.kept_drafts_days", "Extra inputs are not permitted"),
])
def test_the_api_refuses_a_bad_setting_naming_the_field(app, client, body, where, words):
    token = signed_in(app, client, "proper-officer")
    refused = client.put("/api/settings", headers={"X-CSRF-Token": token}, json=body)
    assert refused.status_code == 422
    assert refused.json()["error"]["where"] == where and words in refused.json()["error"]["message"]
    assert app.state.council_settings.get().kept_draft_days == 30
