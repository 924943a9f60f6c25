"""Caseless patterns find exactly what the same pattern with re.IGNORECASE finds, on real council text."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from councilguard.text import caseless as caseless_module
from councilguard.text.caseless import Caseless, CaselessMatch, caseless, lower_literals

ROOT = Path(__file__).resolve().parents[2]


def _all_caseless() -> list[tuple[str, Caseless]]:
    """Every Caseless pattern held by a module of the detectors or the text package (lists and dicts too)."""
    import councilguard.detectors
    import councilguard.text

    found: dict[int, tuple[str, Caseless]] = {}
    for package in (councilguard.detectors, councilguard.text):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                values = value if isinstance(value, (list, tuple)) else (
                    value.values() if isinstance(value, dict) else (value,))
                for i, v in enumerate(values):
                    if isinstance(v, Caseless):
                        found[id(v)] = (f"{info.name}.{name}[{i}]", v)
    return sorted(found.values(), key=lambda p: p[0])


def _texts() -> list[str]:
    texts: list[str] = []
    for name in ("dev-f.jsonl", "dev-g.jsonl"):
        for line in (ROOT / "data" / "council" / name).read_text(encoding="utf-8").splitlines()[::3]:
            texts.append(json.loads(line)["text"])
    texts += ["I think Cllr SMITH is a LIAR and a Thief!!", "THE CLERK FIDDLED THE PETTY CASH",
              "İstanbul trip paid by the Council", "As your Parish Councillor I'm appalled. Vice-Chair?",
              "Mrs Jenkins has Ms Green's key for the hall.", "Mrs Jenkins has MS and ms symptoms; AIDS aids"]
    return texts


PATTERNS = _all_caseless()
TEXTS = _texts()


def test_the_detectors_use_caseless_patterns():
    assert len(PATTERNS) > 60


@pytest.mark.parametrize(("name", "pattern"), PATTERNS, ids=[n for n, _ in PATTERNS])
def test_same_matches_as_ignorecase(name, pattern):
    slow = re.compile(pattern.pattern, pattern.flags)
    for text in TEXTS:
        want = [(m.span(), m.groups()) for m in slow.finditer(text)]
        got = [(m.span(), m.groups()) for m in pattern.finditer(text)]
        assert got == want, f"{name} differs on {text[:80]!r}"
        first = slow.search(text)
        assert (pattern.search(text) is None) == (first is None)


def test_a_match_reads_the_original_text():
    rx = caseless(r"\b(?P<who>the clerk)\s+(fiddl\w+)")
    m = rx.search("Honestly THE Clerk Fiddled it")
    assert isinstance(m, CaselessMatch)
    assert m.group(0) == "THE Clerk Fiddled" and m.group("who") == "THE Clerk" and m[2] == "Fiddled"
    assert m.span(1) == (9, 18) and m.groups() == ("THE Clerk", "Fiddled")
    assert m.groupdict() == {"who": "THE Clerk"} and m.group(1, 2) == ("THE Clerk", "Fiddled")
    assert rx.findall("the clerk fiddles; The Clerk fiddled") == [("the clerk", "fiddles"), ("The Clerk", "fiddled")]
    assert rx.match("x the clerk fiddles") is None and rx.match("the CLERK fiddles") is not None


def test_a_case_sensitive_part_keeps_its_case():
    rx = caseless(r"\bhas\s+(?:(?-i:MS)|diabetes)\b")
    assert rx.search("Jo HAS MS") is not None
    assert rx.search("Jo has Ms Green's key") is None and rx.search("JO HAS DIABETES") is not None


def test_text_that_lowering_lengthens_is_matched_the_slow_way():
    rx = caseless(r"paid by (\w+)")
    text = "İ paid by COUNCIL"  # "İ".lower() is two characters
    assert len(text.lower()) != len(text)
    m = rx.search(text)
    assert isinstance(m, re.Match) and m.group(1) == "COUNCIL" and m.start() == 2


@pytest.mark.parametrize(("pattern", "lowered"), [
    (r"\bI\s+AM\b", r"\bi\s+am\b"),
    (r"\S+\B\W\D", r"\S+\B\W\D"),
    (r"(?P<Name>Abc)(?P=Name)", r"(?P<Name>abc)(?P=Name)"),
    (r"(?<!\bI )Said", r"(?<!\bi )said"),
    (r"(?:A|B)[A-Z]\N{LATIN CAPITAL LETTER A}", r"(?:a|b)[a-z]\N{LATIN CAPITAL LETTER A}"),
    (r"(?x) A # Comment", r"(?x) a # comment"),
])
def test_lower_literals(pattern, lowered):
    assert lower_literals(pattern) == lowered


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcXYZ İıßK-'’ \n.", max_size=40),
       st.sampled_from([r"\b(?:xa|b|ay)\w*", r"(?<![\w@])(?:ab|X Y)(?!\w)", r"[A-C]+", r"z\b", r"'s\b|’s"]))
def test_any_text_any_pattern(text, pattern):
    slow = re.compile(pattern, re.IGNORECASE)
    fast = caseless(pattern)
    assert [(m.span(), m.group(0)) for m in fast.finditer(text)] == [(m.span(), m.group(0)) for m in slow.finditer(text)]


def test_module_exports():
    assert set(caseless_module.__all__) == {"Caseless", "CaselessMatch", "caseless", "lower_literals"}
