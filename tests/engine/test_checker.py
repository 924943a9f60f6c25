"""The Checker's promises: evidence indexes the original text, input errors are clear, nothing is lost."""

from __future__ import annotations

import shutil
import time

import pytest

from councilguard import Checker, Message, MessageError, Pack, PackError
from councilguard.detectors.base import Hit
from councilguard.detectors.registry import detector
from councilguard.testing import load_cases
from tests.conftest import CASES


def test_evidence_always_indexes_the_original_text(checker):
    for case in load_cases(CASES / "rules"):
        msg = case.as_message()
        report = checker.check(msg, base_dir=CASES / "rules")
        for finding in report.findings:
            for e in finding.evidence:
                source = msg["text"] if e.field == "text" else msg.get(e.field, "")
                assert source[e.start:e.end] == e.text, (case.name, finding.rule)


def test_reports_are_deterministic(checker):
    text = "Everyone knows the clerk fiddles the petty cash. Ask Helen Marsh where our money went!"
    assert checker.check(text).to_dict() == checker.check(text).to_dict()


def test_accepts_message_dict_or_text(checker):
    a = checker.check("Cllr Hargreaves is a spineless idiot")
    b = checker.check({"text": "Cllr Hargreaves is a spineless idiot"})
    c = checker.check(Message(text="Cllr Hargreaves is a spineless idiot"))
    assert a.to_dict() == b.to_dict() == c.to_dict()
    assert a.verdict == "warn"


@pytest.mark.parametrize("bad,needle", [
    ({"kind": "post"}, "text is required"),
    ({"text": 5}, "text: input should be a valid string"),
    ({"text": "x", "to": "a@b.c"}, "to: input should be a valid list"),
    ({"text": "x", "kind": "tweet"}, "kind: input should be"),
    ({"text": "x", "author": {"role": "mayor"}}, "author.role"),
    ({"text": "x", "forwarded": "yes"}, "forwarded"),
    (["not", "a", "dict"], "must be an object"),
])
def test_invalid_messages_say_what_and_where(checker, bad, needle):
    with pytest.raises(MessageError) as err:
        checker.check(bad)
    assert needle in str(err.value)


def test_empty_text_is_ok_with_a_note(checker):
    report = checker.check("")
    assert report.verdict == "ok"
    assert any("empty" in n for n in report.notes)


def test_huge_text_is_checked(checker):
    text = ("The parish council meeting is on Tuesday at 7pm in the village hall. " * 15000)[:1_000_000]
    text += " Cllr Hargreaves is a spineless idiot."
    start = time.perf_counter()
    report = checker.check(text)
    elapsed = time.perf_counter() - start
    assert "abuse-councillor" in report.rules
    assert elapsed < 300, f"1 MB took {elapsed:.1f} s"  # a guard against quadratic work; speed is in benchmarks/


def test_text_over_the_limit_is_refused_clearly(checker):
    with pytest.raises(MessageError, match="limit"):
        checker.check("a" * 2_000_001)


@detector("conduct.broken-for-tests")
def _broken(ctx, params):
    raise RuntimeError("boom")
    yield Hit(spans=())  # pragma: no cover


def test_a_failing_detector_is_noted_and_the_rest_still_runs(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(Pack.bundled().root, root)
    policy = root / "policy.yaml"
    policy.write_text(policy.read_text().replace("detector: stance.counter-to-council",
                                                 "detector: conduct.broken-for-tests"))
    checker = Checker(Pack.load(root))
    report = checker.check("Cllr Hargreaves is a spineless idiot")
    assert "abuse-councillor" in report.rules
    assert any("conduct.broken-for-tests failed" in n and "counter-to-council" in n for n in report.notes)


def test_unknown_detector_in_pack_names_the_line(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(Pack.bundled().root, root)
    policy = root / "policy.yaml"
    lines = policy.read_text().splitlines()
    n = next(i for i, line in enumerate(lines) if "detector: stance.counter-to-council" in line)
    lines[n] = lines[n].replace("stance.counter-to-council", "stance.no-such-thing")
    policy.write_text("\n".join(lines) + "\n")
    with pytest.raises(PackError) as err:
        Checker(Pack.load(root))
    assert f"policy.yaml:{n + 1}:" in str(err.value)
    assert "no detector 'stance.no-such-thing'" in str(err.value)


def test_bad_detector_params_name_the_line(tmp_path):
    root = tmp_path / "pack"
    shutil.copytree(Pack.bundled().root, root)
    policy = root / "policy.yaml"
    text = policy.read_text().replace("params: {targets: [staff]}", "params: {targets: [aliens]}")
    policy.write_text(text)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "aliens" in l)
    with pytest.raises(PackError) as err:
        Checker(Pack.load(root))
    assert f"policy.yaml:{line}:" in str(err.value) and "aliens" in str(err.value)


def test_explain_trace_lists_every_binding(checker):
    report = checker.check("hello", explain=True)
    assert len(report.trace) >= len(checker.pack.rules)
