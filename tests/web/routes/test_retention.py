"""The retention schedule page and API: every class with its period and source, a change saved as a new
version and audited, and a period that cannot be used refused beside the field at fault."""

from __future__ import annotations

import pytest

from tests.web.conftest import CLERK, signed_in


@pytest.fixture
def clerk(app, client):
    return signed_in(app, client, "proper-officer", email=CLERK[0], name=CLERK[1])


def _period(**fields) -> dict[str, str]:
    return {"years": "6", "months": "0", "counted_from": "end-of-year", **fields}


def test_the_page_shows_each_class_and_where_its_period_comes_from(client, clerk):
    page = client.get("/retention").text
    assert "This is the starting schedule that comes with councilguard" in page
    assert "<h2>Complaints <span class=\"hint\">(complaints)</span></h2>" in page
    assert "Kept 6 years from the end of its calendar year." in page and "Limitation Act 1980" in page
    assert 'id="months-complaints" name="months"' in page


def test_a_changed_period_is_saved_as_a_new_version_and_audited(app, client, clerk):
    done = client.post("/retention/complaints", data={"csrf_token": clerk, **_period(years="7")},
                       follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/retention?changed=complaints#class-complaints")
    page = client.get("/retention?changed=complaints").text
    assert f"Version 1, saved by {CLERK[0]}" in page and "Kept 7 years from the end of its calendar year." in page
    assert app.state.retention.current().schedule.classes["complaints"].years == 7
    (entry,) = app.state.desk_audit.latest()
    assert (entry.action, entry.target_kind, entry.target_id, entry.detail) == (
        "retention-changed", "retention-class", "complaints",
        {"before": "6 years from the end of its calendar year", "after": "7 years from the end of its calendar year",
         "schedule_version": 1})
    client.post("/retention/complaints", data={"csrf_token": clerk, **_period(years="7")})  # the same again
    assert len(app.state.desk_audit.latest()) == 1 and app.state.retention.current().version == 1


@pytest.mark.parametrize("fields, field, complaint", [
    (_period(months="12"), "months", "months must be a whole number from 0 to 11 (got 12)"),
    (_period(years="two"), "years", "years must be a whole number (got &#39;two&#39;)"),
    (_period(years="-1"), "years", "years must be a whole number (got &#39;-1&#39;)"),
    (_period(years="0", months="0"), "years", "give years (and/or months) to keep, or permanent: true"),
    (_period(counted_from="next-tuesday"), "counted-from", "counted_from must be one of"),
])
def test_a_period_that_cannot_be_used_is_refused_beside_its_field(app, client, clerk, fields, field, complaint):
    refused = client.post("/retention/complaints", data={"csrf_token": clerk, **fields})
    assert refused.status_code == 422
    assert complaint in refused.text and f'href="#{field}-complaints"' in refused.text
    assert app.state.retention.current().version is None and app.state.desk_audit.latest() == []


def test_an_unknown_class_is_refused(app, client, clerk):
    refused = client.post("/retention/gossip", data={"csrf_token": clerk, **_period()})
    assert refused.status_code == 422 and "there is no class &#39;gossip&#39;" in refused.text


def test_the_api_reads_and_changes_the_schedule(app, client):
    token = signed_in(app, client, "administrator")
    got = client.get("/api/retention").json()
    assert got["version"] is None and got["default_class"] == "correspondence"
    complaints = next(c for c in got["classes"] if c["name"] == "complaints")
    assert complaints["kept"] == "6 years from the end of its calendar year"
    put = client.put("/api/retention/classes/planning", headers={"X-CSRF-Token": token},
                     json={"permanent": True, "years": 3})
    assert put.status_code == 200, put.text
    planning = next(c for c in put.json()["classes"] if c["name"] == "planning")
    assert (put.json()["version"], planning["kept"], planning["years"]) == (1, "permanently", 0)
    for path, body, where, words in [
        ("/api/retention/classes/planning", {"years": 1, "months": 14}, "body.months", "from 0 to 11 (got 14)"),
        ("/api/retention/classes/planning", {"years": "1"}, "body.years", "valid integer"),
        ("/api/retention/classes/planning", {"counted_from": "whenever", "years": 1}, "body.counted_from", "Input"),
        ("/api/retention/classes/gossip", {"years": 1}, "path.name", "there is no class 'gossip'"),
    ]:
        refused = client.put(path, headers={"X-CSRF-Token": token}, json=body)
        assert refused.status_code == 422 and refused.json()["error"]["where"] == where, refused.text
        assert words in refused.json()["error"]["message"]
