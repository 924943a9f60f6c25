"""The API's own page: for people signed in, drawn from the OpenAPI document, with no script."""

from __future__ import annotations

import pytest

from tests.web.conftest import signed_in


def test_the_page_lists_every_operation_and_who_may_use_it(app, client):
    signed_in(app, client, "councillor")
    response = client.get("/api-docs")
    assert response.status_code == 200
    html = response.text
    for path, ops in app.openapi()["paths"].items():
        for method in ops:
            assert f"<code>{method.upper()} {path}</code>" in html, (method, path)
    assert "<script" not in html and "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Proper Officer (Clerk)" in html and "anyone signed in" in html
    assert 'href="/api/openapi.json"' in html


@pytest.mark.parametrize("path, expected", [("/api-docs", 303)])
def test_it_is_only_for_people_signed_in(client, path, expected):
    response = client.get(path, follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (expected, f"/sign-in?next={path}")
