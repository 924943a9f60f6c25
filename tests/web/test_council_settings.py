"""The council's run-time settings: defaults, validation that names the setting, and an audit row per change."""

from __future__ import annotations

import pytest

from councilguard.records import db
from councilguard.web.council_settings import CouncilSettings, CouncilSettingsStore
from councilguard.web.desk_audit import DeskAudit
from councilguard.web.errors import FormError
from councilguard.web.users import UserStore
from tests.web.conftest import CLERK, FAST_HASHER, PASSWORD


@pytest.fixture
def store(db_path):
    engine = db.make_engine(f"sqlite:///{db_path}")
    factory = db.sessions(engine)
    clerk = UserStore(factory, FAST_HASHER).create(email=CLERK[0], name=CLERK[1], role="proper-officer",
                                                   password=PASSWORD, created_by="test")
    yield CouncilSettingsStore(factory), clerk, DeskAudit(factory)
    engine.dispose()


def test_the_defaults_keep_drafts_for_thirty_days(store):
    settings, _, _ = store
    assert settings.get() == CouncilSettings(drafts_may_be_kept=True, kept_draft_days=30)


def test_a_change_is_saved_and_audited_with_before_and_after(store):
    settings, clerk, audit = store
    saved, done = settings.save({"kept_draft_days": 14, "drafts_may_be_kept": True}, clerk)
    assert saved.kept_draft_days == 14 and settings.get() == saved
    assert [(c.name, c.before, c.after) for c in done] == [("kept_draft_days", 30, 14)]  # unchanged: not logged
    (entry,) = audit.latest()
    assert (entry.actor, entry.action, entry.target_kind, entry.target_id, entry.detail) == (
        CLERK[0], "setting-changed", "council-setting", "kept_draft_days", {"before": 30, "after": 14})


@pytest.mark.parametrize("changes, where, complaint", [
    ({"kept_draft_days": 0}, "kept_draft_days", "from 1 to 90 (you gave 0)"),
    ({"kept_draft_days": 91}, "kept_draft_days", "from 1 to 90 (you gave 91)"),
    ({"kept_draft_days": -5}, "kept_draft_days", "whole number of days"),
    ({"kept_draft_days": "30"}, "kept_draft_days", "(you gave '30')"),
    ({"kept_draft_days": 7.5}, "kept_draft_days", "(you gave 7.5)"),
    ({"kept_draft_days": True}, "kept_draft_days", "(you gave True)"),
    ({"drafts_may_be_kept": "yes"}, "drafts_may_be_kept", "must be yes or no"),
    ({"drafts_may_be_kept": 1}, "drafts_may_be_kept", "must be yes or no"),
    ({"kept_drafts_days": 10}, "kept_drafts_days", "is not a setting that can be changed here"),
    ({"kept_draft_days": 10, "drafts_may_be_kept": None}, "drafts_may_be_kept", "must be yes or no"),
])
def test_a_value_that_cannot_be_used_is_refused_naming_the_setting(store, changes, where, complaint):
    settings, clerk, audit = store
    with pytest.raises(FormError, match=complaint.replace("(", r"\(").replace(")", r"\)")) as refused:
        settings.save(changes, clerk)
    assert refused.value.where == where
    assert settings.get() == CouncilSettings() and audit.latest() == []  # nothing half-saved


def test_a_value_spoilt_in_the_database_falls_back_to_its_default(store, db_path):
    import sqlite3

    settings, clerk, _ = store
    settings.save({"kept_draft_days": 14}, clerk)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE web_council_settings SET value = '\"fourteen\"' WHERE name = 'kept_draft_days'")
        conn.execute("INSERT INTO web_council_settings VALUES ('retired_setting', '1', '2026-01-01', 'x')")
    assert settings.get() == CouncilSettings()
