"""`councilguard check`, run as users run it: as a real process, single drafts and batches."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXE = [sys.executable, "-m", "councilguard"]


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_single_draft_readable_verdict():
    r = run("check", "Cllr Hargreaves is a spineless idiot")
    assert r.returncode == 0, r.stderr
    assert "abuse-councillor" in r.stdout
    assert "P8-Communication-6" in r.stdout
    assert "Post expressions of anger or abuse against another councillor." in r.stdout
    assert "Remedy" in r.stdout


def test_single_draft_json_is_the_contract_report():
    r = run("check", "--format", "json", "Cllr Hargreaves is a spineless idiot")
    report = json.loads(r.stdout)
    assert report["verdict"] == "warn"
    finding = next(f for f in report["findings"] if f["rule"] == "abuse-councillor")
    text = "Cllr Hargreaves is a spineless idiot"
    for e in finding["evidence"]:
        assert text[e["start"]:e["end"]] == e["text"]
    assert {"rule", "severity", "clause", "evidence", "explanation", "remedy"} <= finding.keys()


def test_context_options_build_the_message():
    r = run("check", "--format", "json", "--channel", "facebook", "--account", "official", "--author", "Margaret Ellis",
            "--role", "chair", "Christmas lights on Saturday!")
    assert [f["rule"] for f in json.loads(r.stdout)["findings"]] == ["official-account-use"]
    r = run("check", "--format", "json", "--authorised", "speak-for-council",
            "The parish council will be objecting to the application.")
    assert json.loads(r.stdout)["findings"] == []


def test_reply_to_option():
    r = run("check", "--format", "json", "--reply-to", "The parish council is useless, total waste of council tax.",
            "That's rubbish, we've done loads this year.")
    assert "responding-to-negative" in {f["rule"] for f in json.loads(r.stdout)["findings"]}


def test_draft_from_stdin_and_file(tmp_path):
    r = run("check", "--format", "json", stdin="Cllr Hargreaves is a spineless idiot")
    assert json.loads(r.stdout)["verdict"] == "warn"
    draft = tmp_path / "draft.txt"
    draft.write_text("Cllr Hargreaves is a spineless idiot", encoding="utf-8")
    r = run("check", "--format", "json", "--file", str(draft))
    assert json.loads(r.stdout)["verdict"] == "warn"


def test_unreadable_attachment_is_a_note_not_a_failure(tmp_path):
    r = run("check", "--format", "json", "--attach", str(tmp_path / "missing.png"), "Proud to be your councillor!")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert any("missing.png" in n for n in report["notes"])


def test_batch_contract(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Cllr Hargreaves is a spineless idiot", "expect": ["x"], "why": "labels ignored"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"id": "d", "kind": "post"}),
        json.dumps({"id": "e", "text": 42}),
        "",
        json.dumps({"text": "Lovely fun day, thanks all"}),
        json.dumps({"id": "g", "text": "Look", "attachments": [{"filename": "x.png", "path": "nope/x.png"}]}),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    r = run("check", "--input", str(src), "--output", str(out))
    assert r.returncode == 2
    reports = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(reports) == 7
    assert reports[0]["id"] == "a" and reports[0]["verdict"] == "warn"
    assert reports[1] == {"line": 2, "error": reports[1]["error"]} and "not valid JSON" in reports[1]["error"]
    assert "not an object" in reports[2]["error"] and reports[2]["line"] == 3
    assert reports[3]["id"] == "d" and "text is required" in reports[3]["error"]
    assert reports[4]["id"] == "e" and "text" in reports[4]["error"] and reports[4]["line"] == 5
    assert reports[5]["id"] == "7" and reports[5]["verdict"] == "ok"
    assert reports[6]["id"] == "g" and any("x.png" in n for n in reports[6]["notes"])
    assert "line 2" in r.stderr


def test_batch_stdin_to_stdout():
    r = run("check", "--input", "-", "--output", "-", stdin=json.dumps({"id": "1", "text": "hello"}) + "\n")
    assert r.returncode == 0
    assert json.loads(r.stdout.splitlines()[0]) == {"id": "1", "verdict": "ok", "findings": []}


def test_batch_missing_input_file(tmp_path):
    r = run("check", "--input", str(tmp_path / "nope.jsonl"), "--output", "-")
    assert r.returncode == 2 and "cannot read" in r.stderr


def test_bad_policy_folder_is_named(tmp_path):
    r = run("check", "--policy", str(tmp_path / "no-such-pack"), "hello")
    assert r.returncode == 2 and "no-such-pack" in r.stderr


@pytest.mark.parametrize("args,needle", [
    (("rules",), "abuse-councillor"),
    (("explain", "untrue-statement"), "Defamation Act 2013"),
])
def test_rules_and_explain(args, needle):
    r = run(*args)
    assert r.returncode == 0, r.stderr
    assert needle in r.stdout


def test_explain_unknown_rule():
    r = run("explain", "no-such-rule")
    assert r.returncode == 2 and "no rule 'no-such-rule'" in r.stderr
