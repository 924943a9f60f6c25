"""Property-based tests of the whole JSON API from its own OpenAPI document (schemathesis).

Schemathesis reads ``/api/openapi.json`` from the app in-process and generates requests for every
operation, valid and invalid. Each request is sent as a role the operation is for (so it reaches the
operation's own logic), as a role it is not for, and as no one, each with a real session cookie and the
session's CSRF header. Every answer must: never be a 5xx, have a status and content type the document
lists, match the documented schema, reject what the schema rules out, and, when it is an error, be in
the one error shape with a message a person can read. Bounded and derandomized: the same cases each run.
"""

from __future__ import annotations

import shutil
import zlib
from dataclasses import dataclass

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import update

from councilguard.web.accounts_schema import WebUserRow
from councilguard.web.app import SESSION_COOKIE, create_app
from councilguard.web.roles import ROLES
from councilguard.web.routes.api_openapi import api_routes
from councilguard.web.settings import WebSettings
from tests.web.conftest import CLERK, FAST_HASHER, add_user, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
MAX_EXAMPLES = 4  # generated per operation and mode, besides the schema's examples and boundary cases


@dataclass(frozen=True)
class Visitor:
    """Someone calling the API: a role's signed-in session, or no one (``role`` None)."""

    role: str | None
    cookie: str = ""
    csrf: str = ""

    def headers(self) -> dict[str, str]:
        if self.role is None:
            return {}
        return {"Cookie": f"{SESSION_COOKIE}={self.cookie}", "X-CSRF-Token": self.csrf}


@dataclass(frozen=True)
class Served:
    app: FastAPI
    visitors: dict[str | None, Visitor]
    roles: dict[tuple[str, str], tuple[str, ...]]  # (METHOD, path) -> the roles its guard lets in

    def callers(self, method: str, path: str, pick: int) -> list[Visitor]:
        """One role the operation is for (chosen by ``pick``), one it is not for (if any), and no one.

        Rotating the allowed role over the cases reaches an operation open to several roles as each."""
        allowed = self.roles.get((method.upper(), path)) or ROLES
        others = [r for r in ROLES if r not in allowed]
        return [self.visitors[allowed[pick % len(allowed)]], *([self.visitors[others[0]]] if others else []),
                self.visitors[None]]


def _guarded_roles(app: FastAPI) -> dict[tuple[str, str], tuple[str, ...]]:
    found = {}
    for route in api_routes(app.routes):
        guards = [d.call for d in route.dependant.dependencies if hasattr(d.call, "roles")]
        roles = tuple(r.value for g in guards for r in g.roles)
        found.update({(method, route.path): roles for method in route.methods})
    assert found[("POST", "/api/desk/remarks/{report_id}/handled")] == ("proper-officer",)  # the walk found them
    return found


def _visitor(app: FastAPI, role: str) -> Visitor:
    with TestClient(app) as client:
        email = CLERK[0] if role == "proper-officer" else f"{role}@example.org"
        assert sign_in(client, email).status_code == 303
        return Visitor(role, client.cookies[SESSION_COOKIE], client.get("/api/me").json()["csrf_token"])


@pytest.fixture(scope="module")
def served(_web_template, tmp_path_factory, checker) -> Served:
    """One app on its own SQLite file, an account per role, and a few rows for the desk to find."""
    path = tmp_path_factory.mktemp("schemathesis") / "councilguard.db"
    shutil.copyfile(_web_template, path)
    app = create_app(WebSettings(db_url=f"sqlite:///{path}", migrate=False, warm_up=False,
                                 secret_key="schemathesis"), checker=checker, hasher=FAST_HASHER)
    add_user(app, "proper-officer", email=CLERK[0], name=CLERK[1])
    councillor = None
    for role in ROLES:
        if role != "proper-officer":
            made = add_user(app, role)
            councillor = made if role == "councillor" else councillor
    for n in range(1, 4):
        app.state.remarks.file(councillor, remark=f"Remark {n}", link=f"https://example.org/{n}", platform="Facebook",
                               screenshot=PNG if n == 1 else None)
        app.state.consents.ask(councillor, address=f"me{n}@example.net", reason="My laptop is broken",
                               period="A month")
    return Served(app, {None: Visitor(None), **{role: _visitor(app, role) for role in ROLES}}, _guarded_roles(app))


@pytest.fixture(scope="module")
def api_schema(served):
    loaded = schemathesis.openapi.from_asgi("/api/openapi.json", served.app)
    # The session cookie and CSRF header are each visitor's own, not generated (nor left out as "invalid")
    loaded.config.generation.update(with_security_parameters=False)
    loaded.config.phases.coverage.unexpected_methods = {"patch"}  # one wrong method per path is enough for 405
    return loaded


@schemathesis.check
def errors_in_the_one_shape(ctx, response, case) -> bool | None:
    """Every 4xx answer is ``{"error": {"code", "message", "where"}}`` with a message to show a person."""
    if response.status_code < 400:
        return None
    error = response.json().get("error") if isinstance(response.json(), dict) else None
    assert isinstance(error, dict) and set(error) == {"code", "message", "where"}, \
        f"{response.status_code} answer not in the error shape: {response.text[:300]}"
    assert all(isinstance(v, str) for v in error.values()), error
    assert error["code"] and len(error["message"]) >= 10, f"an error without a useful message: {error}"
    return True


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, errors_in_the_one_shape]
schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_every_caller_gets_a_documented_answer_and_never_a_server_error(case, served):
    pick = zlib.crc32(repr((case.path_parameters, case.query, case.body)).encode())  # same case, same role
    for visitor in served.callers(case.method, case.operation.path, pick):
        case.call_and_validate(headers=visitor.headers(), checks=CHECKS)
        if case.operation.path.startswith("/api/accounts/{account_id}/"):
            _restore_visitors(served)


def _restore_visitors(served: Served) -> None:
    """Undo what the roster API may have done to the visitors' own accounts (a new role, switched off, and
    so signed out), so every later case still calls as the role it means to."""
    with served.app.state.archive.engine.begin() as conn:
        for role in ROLES:
            if role != "proper-officer":
                conn.execute(update(WebUserRow).where(WebUserRow.email == f"{role}@example.org")
                             .values(role=role, active=True, session_version=0, roster_member=None))


def test_the_fixture_signs_in_every_role(served):
    """The property test above is only worth something if the sessions it sends are real."""
    for visitor in [v for v in served.visitors.values() if v.role is not None]:
        with TestClient(served.app) as client:
            answer = client.get("/api/me", headers=visitor.headers())
        assert answer.status_code == 200 and answer.json()["role"] == visitor.role
