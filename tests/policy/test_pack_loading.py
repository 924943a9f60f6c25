"""Packs are data a Clerk writes: every bundled pack must load, and a broken pack must say where it broke.

Each broken pack is the bundled Croxley Green pack copied into tmp_path with one edit made to its text.
The line an error must name is found in the edited text (the line holding a marker), so the tests
keep asserting the exact line even when the bundled pack is reworded.
"""

from __future__ import annotations

import importlib
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from councilguard import Checker, Pack, PackError
from councilguard.detectors.registry import FAMILIES
from councilguard.policy.schema import DETECTOR_ID

BUNDLED = ["croxley-green", "manordeilo-salem", "barrington"]
CROXLEY = Pack.bundled("croxley-green")
CROXLEY_IDS = [r.id for r in CROXLEY.rules]


def _index(rule_id: str) -> int:
    return CROXLEY_IDS.index(rule_id)


def _copy_croxley(tmp_path: Path) -> Path:
    root = tmp_path / "my-pack"
    shutil.copytree(CROXLEY.root, root)
    return root


def _line_of(text: str, marker: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line containing ``marker`` (or starting with it, for ``^marker``)."""
    if marker.startswith("^"):
        found = [i for i, line in enumerate(text.splitlines(), start=1) if line.startswith(marker[1:])]
    else:
        found = [i for i, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(found) >= nth, f"marker {marker!r} not found {nth} time(s)"
    return found[nth - 1]


def _missing_family_modules(pack: Pack) -> list[str]:
    missing = []
    for rule in pack.rules:
        for use in rule.detect:
            module = FAMILIES[use.detector.split(".", 1)[0]]
            try:
                importlib.import_module(module)
            except ImportError:
                missing.append(module)
    return sorted(set(missing))


# --- the bundled packs -------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_pack_loads(name):
    pack = Pack.bundled(name)
    assert pack.id == name == pack.root.name
    assert Pack.resolve(name).id == name
    assert pack.rules
    assert pack.logo_path is not None and pack.logo_path.is_file()
    assert pack.logo_path.stat().st_size < 30_000
    assert pack.council.domains
    assert pack.council.of_kind("proper-officer")
    for rule in pack.rules:
        for use in rule.detect:
            assert DETECTOR_ID.match(use.detector)
            assert use.detector.split(".", 1)[0] in FAMILIES, f"{rule.id}: unknown family in {use.detector}"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_pack_binds_every_rule(name):
    pack = Pack.bundled(name)
    missing = _missing_family_modules(pack)
    if missing:
        pytest.skip(f"waits on detector families not importable yet: {', '.join(missing)}")
    report = Checker(pack).check({"text": "Lovely turnout at the fun day, thank you all!", "kind": "post"})
    assert not [n for n in report.notes if "failed" in n]  # every bound detector ran on this pack's profile


def test_unknown_bundled_pack_lists_the_bundled_ones():
    with pytest.raises(PackError) as err:
        Pack.bundled("no-such-council")
    for name in BUNDLED:
        assert name in err.value.problem


def test_second_pack_is_its_own_policy_not_a_copy_of_croxley():
    """The Manordeilo pack quotes its own policy, names its own people, and leaves out what it lacks."""
    pack = Pack.bundled("manordeilo-salem")
    croxley_source = re.sub(r"[^a-z0-9]+", " ", CROXLEY.source_text.lower())
    for rule in pack.rules:
        quote = re.sub(r"[^a-z0-9]+", " ", rule.clause_text.lower()).strip()
        assert quote not in croxley_source, f"{rule.id} quotes Croxley Green's policy"
    assert pack.council.name == "Manordeilo & Salem Community Council"
    assert not set(pack.council.domains) & set(CROXLEY.council.domains)
    assert pack.logo_path.read_bytes() != CROXLEY.logo_path.read_bytes()
    ids = {r.id for r in pack.rules}
    assert {"responding-to-negative", "personal-email-account", "newsgroup-on-behalf"}.isdisjoint(ids)
    assert pack.council.consents_for("Catrin Maddox", on=date(2026, 1, 1)) == {"official-account"}


def test_third_pack_is_its_own_policy_not_a_copy_of_croxley():
    """The Barrington pack quotes its own (truncated) policy, names its own council and offices, and binds
    only what that text says."""
    pack = Pack.bundled("barrington")
    others = [CROXLEY, Pack.bundled("manordeilo-salem")]
    for other in others:
        other_source = re.sub(r"[^a-z0-9]+", " ", other.source_text.lower())
        for rule in pack.rules:
            quote = re.sub(r"[^a-z0-9]+", " ", rule.clause_text.lower()).strip()
            assert quote not in other_source, f"{rule.id} quotes {other.id}'s policy"
        assert not set(pack.council.domains) & set(other.council.domains)
        assert pack.logo_path.read_bytes() != other.logo_path.read_bytes()
        assert pack.council.name != other.council.name
    assert pack.council.name == "Barrington Parish Council"
    assert "Barrington Parish Council" in pack.source_text
    assert "SOURCE TEXT NOT AVAILABLE BEYOND THIS POINT" in pack.source_text  # the truncation is kept
    assert pack.policy.pack.status == "draft"
    roles = " / ".join(m.role or "" for m in pack.council.of_kind("staff", "proper-officer"))
    assert "Clerk" in roles and "Responsible Financial Officer" in roles  # the two offices the text names
    ids = {r.id for r in pack.rules}
    assert ids == {"missing-disclaimer", "unreferenced-material", "offensive-material", "harassment-discrimination"}
    # nothing the surviving text does not say: no personal e-mail, logo, official-account or purchase rules
    assert not {use.detector for r in pack.rules for use in r.detect} & {
        "email.personal-account", "logo.council-logo", "accounts.official-account", "purchase.in-council-name"}
    assert pack.sanctions is None


# --- malformed packs: file, line, key path, problem ----------------------------------------------

Edit = Callable[[str], str]


def _replace(old: str, new: str) -> Edit:
    def edit(text: str) -> str:
        assert old in text, f"{old!r} is not in the file any more: update this test"
        return text.replace(old, new, 1)

    return edit


def _in_rule(rule_id: str, old: str, new: str) -> Edit:
    """Replace the first ``old`` after the line ``- id: rule_id``."""

    def edit(text: str) -> str:
        head = f"- id: {rule_id}\n"
        start = text.index(head)
        at = text.index(old, start)
        return text[:at] + new + text[at + len(old):]

    return edit


def _drop_key(rule_id: str, key: str) -> Edit:
    """Delete the ``key:`` line of one rule."""

    def edit(text: str) -> str:
        start = text.index(f"- id: {rule_id}\n")
        m = re.compile(rf"^    {key}: .*\n", re.MULTILINE).search(text, start)
        assert m is not None
        return text[:m.start()] + text[m.end():]

    return edit


# (case, file edited, edit, marker on the line the error must name (nth occurrence), key path, problem)
MALFORMED = [
    ("missing clause", "policy.yaml", _drop_key("abuse-councillor", "clause"),
     ("- id: abuse-councillor", 1), f"rules[{_index('abuse-councillor')}].clause", "clause is required but missing"),
    ("bad severity", "policy.yaml", _in_rule("personal-data", "severity: block", "severity: blocker"),
     ("severity: blocker", 1), f"rules[{_index('personal-data')}].severity",
     "'blocker' is not allowed; expected 'advice', 'warn' or 'block'"),
    ("unknown key in a rule", "policy.yaml", _in_rule("copyright", "    severity:", "    colour: red\n    severity:"),
     ("colour: red", 1), f"rules[{_index('copyright')}].colour", "colour is not a known key here"),
    ("unknown key in pack", "policy.yaml", _replace("  status: draft\n", "  status: draft\n  author: Clerk\n"),
     ("author: Clerk", 1), "pack.author", "author is not a known key here"),
    ("no detectors", "policy.yaml", _in_rule("council-logo", "    detect:\n      - detector: logo.council-logo\n",
                                             "    detect: []\n"),
     ("detect: []", 1), f"rules[{_index('council-logo')}].detect", "at least 1 item"),
    ("clause text not quoted", "policy.yaml",
     _in_rule("abuse-councillor", "expressions of anger or abuse", "expressions of rage or abuse"),
     ("expressions of rage or abuse", 1), f"rules[{_index('abuse-councillor')}].clause_text",
     "is not quoted word for word from policy.txt"),
    ("duplicate rule id", "policy.yaml", _replace("- id: inflammatory-staff\n", "- id: derogatory-council\n"),
     ("- id: derogatory-council", 2), f"rules[{_index('inflammatory-staff')}].id",
     "rule id 'derogatory-council' appears twice"),
    ("tab in YAML", "policy.yaml", _in_rule("abuse-councillor", "    title:", "\ttitle:"),
     ("\ttitle:", 1), "", "not valid YAML: found character '\\t' that cannot start any token"),
    ("under-indented key", "policy.yaml", _in_rule("abuse-councillor", "    title:", "   title:"),
     ("   title: Anger", 1), "", "not valid YAML"),
    ("over-indented key", "policy.yaml", _in_rule("abuse-councillor", "    title:", "      title:"),
     ("      title: Anger", 1), "", "not valid YAML: mapping values are not allowed here"),
    ("not a mapping", "policy.yaml", lambda text: "- rules\n- go\n- here\n",
     ("- rules", 1), "", "expected a mapping at the top of the file"),
    ("unknown key in council", "council.yaml", _replace("  logo: logo.png\n", "  logo: logo.png\n  website: x.org\n"),
     ("website: x.org", 1), "council.website", "website is not a known key here"),
    ("misspelt person key", "council.yaml", _replace('{name: "Priya Sharma", email:', '{name: "Priya Sharma", emial:'),
     ("Priya Sharma", 1), "councillors[2].emial", "emial is not a known key here"),
    ("no council domain", "council.yaml", _replace('domains: ["croxleygreen-pc.gov.uk"]', "domains: []"),
     ("domains: []", 1), "council.domains", "at least 1 item"),
    ("misspelt top-level key", "council.yaml", _replace("\nproper_officer: {", "\nproper_offcer: {"),
     ("proper_offcer:", 1), "proper_offcer", "proper_offcer is not a known key here (and 1 more problem(s))"),
    ("missing top-level key", "council.yaml", lambda text: re.sub(r"(?m)^proper_officer: .*\n", "", text),
     ("^council:", 1), "proper_officer", "proper_officer is required but missing"),
    ("missing key in pack", "policy.yaml", _replace('  version: "draft"\n', ""),
     ("^pack:", 1), "pack.version", "version is required but missing"),
]


@pytest.mark.parametrize("case, filename, edit, marker, path, problem", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_pack_names_file_line_key_and_problem(tmp_path, case, filename, edit, marker, path, problem):
    root = _copy_croxley(tmp_path)
    target = root / filename
    edited = edit(target.read_text(encoding="utf-8"))
    target.write_text(edited, encoding="utf-8")
    with pytest.raises(PackError) as err:
        Pack.load(root)
    e = err.value
    assert e.file == str(target)
    assert problem in e.problem
    assert e.path == path
    assert e.line == _line_of(edited, *marker)
    key = f" {path}:" if path else ""
    assert str(e).startswith(f"{target}:{e.line}:{key} {e.problem}")
    assert "docs/policy-packs.md" in str(e)


# (case, what to remove or change, file the error must name, line marker in policy.yaml or None, problem)
MISSING = [
    ("missing council.yaml", "council.yaml", "council.yaml", None, "file is missing"),
    ("missing policy.yaml", "policy.yaml", "policy.yaml", None, "file is missing"),
    ("missing logo", "logo.png", "logo.png", None, "logo file named in council.yaml is missing"),
    ("missing policy text", "policy.txt", "policy.txt", "  source: policy.txt", "policy source text is missing"),
]


@pytest.mark.parametrize("case, remove, names, marker, problem", MISSING, ids=[c[0] for c in MISSING])
def test_missing_file_names_the_file(tmp_path, case, remove, names, marker, problem):
    root = _copy_croxley(tmp_path)
    policy_text = (root / "policy.yaml").read_text(encoding="utf-8")
    (root / remove).unlink()
    with pytest.raises(PackError) as err:
        Pack.load(root)
    e = err.value
    assert e.file == str(root / names)
    assert e.problem == problem
    assert e.line == (_line_of(policy_text, marker) if marker else None)
    assert str(e).startswith(f"{root / names}")


def test_impossible_date_names_its_line(tmp_path):
    root = _copy_croxley(tmp_path)
    council = root / "council.yaml"
    edited = _replace("consents: []", 'consents:\n  - {person: "James Lowe", grants: personal-email, '
                                      "expires: 2026-02-30}")(council.read_text())
    council.write_text(edited)
    with pytest.raises(PackError) as err:
        Pack.load(root)
    assert err.value.file == str(council)
    assert err.value.line == _line_of(edited, "2026-02-30")


def test_council_file_renamed_in_policy_yaml_is_reported_missing(tmp_path):
    root = _copy_croxley(tmp_path)
    policy = root / "policy.yaml"
    policy.write_text(_replace("  council: council.yaml\n", "  council: people.yaml\n")(policy.read_text()))
    with pytest.raises(PackError) as err:
        Pack.load(root)
    assert err.value.file == str(root / "people.yaml")
    assert err.value.problem == "file is missing"


@pytest.mark.parametrize("where", ["no-such-folder", "policy.yaml"])
def test_missing_policy_folder(tmp_path, where):
    """A path that is not a folder (missing, or a file) is refused before anything is read."""
    root = _copy_croxley(tmp_path)
    bad = tmp_path / where if where == "no-such-folder" else root / where
    with pytest.raises(PackError) as err:
        Pack.load(bad)
    assert err.value.file == str(bad)
    assert err.value.line is None
    assert "is not a folder holding a policy pack" in err.value.problem


# --- binding detectors: Checker(pack) checks ids and params with the line -----------------------

MINIMAL = """\
# A one-rule pack for binding tests; council.yaml, policy.txt and logo.png are Croxley Green's.
pack:
  id: minimal
  name: Minimal pack
  version: "1"

rules:
  - id: claims-council-view
    title: Claims to speak for the council
    clause: "P8-Communication-1"
    clause_text: "Claim to represent the views of the council unless authorised to do so"
    severity: warn
    detect:
      - detector: {detector}
        params: {params}
    explanation: "Reads as the council's view."
    remedy: "Say it is your own view."
"""


def _minimal(tmp_path: Path, detector: str, params: str = "{}") -> tuple[Pack, str]:
    root = _copy_croxley(tmp_path)
    text = MINIMAL.replace("{detector}", detector).replace("{params}", params)
    (root / "policy.yaml").write_text(text, encoding="utf-8")
    return Pack.load(root), text


def test_minimal_pack_binds(tmp_path):
    pack, _ = _minimal(tmp_path, "representation.speaks-for-council")
    report = Checker(pack).check({"text": "Lovely turnout at the fun day, thank you all!", "kind": "post"})
    assert set(report.rules) <= {"claims-council-view"}
    assert not report.notes


# (case, detector, params, marker of the line named, key path, words the problem must contain)
BINDING = [
    ("unknown family", "weather.forecast", "{}", "- detector: weather.forecast",
     "rules[0].detect[0].detector", ["no detector family 'weather'", "families are:", "representation"]),
    ("unknown detector in a family", "representation.shouting", "{}", "- detector: representation.shouting",
     "rules[0].detect[0].detector",
     ["no detector 'representation.shouting'", "that family has:", "representation.speaks-for-council"]),
    ("param the detector does not take", "representation.speaks-for-council", "{colour: red}", "params: {colour: red}",
     "rules[0].detect[0].params.colour",
     ["Extra inputs are not permitted", "'red'", "representation.speaks-for-council takes: none"]),
]


@pytest.mark.parametrize("case, detector, params, marker, path, words", BINDING, ids=[c[0] for c in BINDING])
def test_checker_names_line_of_a_bad_binding(tmp_path, case, detector, params, marker, path, words):
    pack, text = _minimal(tmp_path, detector, params)
    with pytest.raises(PackError) as err:
        Checker(pack)
    e = err.value
    assert e.file == str(pack.root / "policy.yaml")
    assert e.line == _line_of(text, marker)
    assert e.path == path
    for w in words:
        assert w in e.problem


def _conduct_ready() -> bool:
    try:
        importlib.import_module("councilguard.detectors.conduct")
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _conduct_ready(), reason="waits on councilguard.detectors.conduct importing")
@pytest.mark.parametrize("params, path, words", [
    ("{targets: [aliens]}", "rules[0].detect[0].params.targets[0]", ["'aliens'", "conduct.abuse takes: targets"]),
    ("{}", "rules[0].detect[0].params.targets", ["Field required", "conduct.abuse takes: targets"]),
])
def test_checker_rejects_wrong_typed_params(tmp_path, params, path, words):
    pack, text = _minimal(tmp_path, "conduct.abuse", params)
    with pytest.raises(PackError) as err:
        Checker(pack)
    assert err.value.line == _line_of(text, f"params: {params}")
    assert err.value.path == path
    for w in words:
        assert w in err.value.problem


@pytest.mark.parametrize("said,holder", [
    ("Clerk", "Helen Marsh"), ("Proper Officer", "Helen Marsh"), ("Deputy Clerk", "Dev Patel"), ("RFO", "Dev Patel"),
    ("responsible financial officer", "Dev Patel"), ("Chairman", "Margaret Ellis"), ("Vice-Chair", "Tom Hargreaves"),
    ("groundsman", None),  # not a single-holder post: the roster's aliases name him
])
def test_who_holds_a_post_comes_from_the_roles_on_the_roster(said, holder):
    member = Pack.bundled().council.post_holder(said)
    assert (member.name if member else None) == holder
