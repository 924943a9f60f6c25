"""The optional ``sanctions:`` section of policy.yaml: validated strictly, with errors naming file, line and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from councilguard import Pack, PackError

CROXLEY = Pack.bundled("croxley-green")


def _pack_with(tmp_path: Path, edit) -> tuple[Path, str]:
    root = tmp_path / "pack"
    shutil.copytree(CROXLEY.root, root)
    policy = root / "policy.yaml"
    edited = edit(policy.read_text(encoding="utf-8"))
    policy.write_text(edited, encoding="utf-8")
    return policy, edited


def _replace(old: str, new: str):
    def edit(text: str) -> str:
        assert old in text, f"{old!r} is not in policy.yaml any more: update this test"
        return text.replace(old, new, 1)
    return edit


# (case, edit, marker on the line named (or (marker, nth)), key path, problem)
MALFORMED = [
    ("bad outcome id", _replace("- id: no-breach", "- id: No Breach"), "- id: No Breach",
     "sanctions.options[2].id", "'No Breach' is not an outcome id; use kebab-case"),
    ("duplicate outcome id", _replace("- id: breach-censure", "- id: breach-no-action"), ("- id: breach-no-action", 2),
     "sanctions.options[4].id", "outcome id 'breach-no-action' appears twice"),
    ("who decides is missing", _replace(
        "      decided_by: \"Three Rivers District Council's Monitoring Officer\"\n      legal_basis: \"Localism Act 2011 "
        "s28(6) (arrangements for deciding allegations)\"\n    - id: informal-resolution",
        "      legal_basis: \"Localism Act 2011 s28(6) (arrangements for deciding allegations)\"\n"
        "    - id: informal-resolution"),
     "- id: not-investigated", "sanctions.options[0].decided_by", "decided_by is required but missing"),
    ("empty legal basis", _replace('legal_basis: "Localism Act 2011 s28(6) and s28(11)"', 'legal_basis: ""'),
     'legal_basis: ""', "sanctions.options[3].legal_basis", "at least 1 character"),
    ("misspelt key", _replace("  principal_authority:", "  principle_authority:"), "principle_authority:",
     "sanctions.principle_authority", "principle_authority is not a known key here"),
    ("no options", lambda text: text[:text.index("  options:")] + "  options: []\n", "options: []",
     "sanctions.options", "at least 1 item"),
]


@pytest.mark.parametrize("case, edit, marker, path, problem", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_a_malformed_sanctions_section_names_file_line_key_and_problem(tmp_path, case, edit, marker, path, problem):
    policy, edited = _pack_with(tmp_path, edit)
    with pytest.raises(PackError) as err:
        Pack.load(policy.parent)
    e = err.value
    assert (e.file, e.path) == (str(policy), path)
    assert problem in e.problem
    text, nth = marker if isinstance(marker, tuple) else (marker, 1)  # the nth line holding the marker
    assert e.line == [i for i, line in enumerate(edited.splitlines(), 1) if text in line][nth - 1]
    assert str(e).startswith(f"{policy}:{e.line}: {path}: ")


def test_the_section_is_optional(tmp_path):
    policy, _ = _pack_with(tmp_path, lambda text: text[:text.index("\n# Outcomes of a standards complaint")] + "\n")
    assert Pack.load(policy.parent).sanctions is None
    assert Pack.bundled("manordeilo-salem").sanctions is None


def test_the_bundled_pack_lists_its_outcomes():
    s = CROXLEY.sanctions
    assert s is not None and s.principal_authority == "Three Rivers District Council"
    assert len(s.options) == len({o.id for o in s.options}) == 8
