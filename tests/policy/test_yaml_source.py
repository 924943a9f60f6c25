"""Pack YAML is read with libyaml's parser for speed; it must give what PyYAML's own parser gives.

Same data, same line for every key (pack errors quote them), for every bundled pack file; and a file
that does not parse still fails in PyYAML's words (tests/policy/test_pack_loading.py checks those).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from councilguard.errors import PackError
from councilguard.policy import yaml_source as Y

PACKS = Path(Y.__file__).resolve().parent / "packs"
FILES = sorted(PACKS.glob("*/*.yaml"))


def lines_of(node) -> dict:
    lines: dict = {}
    if node is not None:
        Y._walk(node, (), lines)
    return lines


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_libyaml_and_pyyaml_agree(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast_node, fast_data = Y._parse(text, Y._FastLoader)
    slow_node, slow_data = Y._parse(text, Y._Loader)
    assert fast_data == slow_data
    assert lines_of(fast_node) == lines_of(slow_node)


def test_dates_stay_text_on_both_parsers() -> None:
    for loader in {Y._FastLoader, Y._Loader}:
        _, data = Y._parse("adopted: 2024-05-01\n", loader)
        assert data == {"adopted": "2024-05-01"}


def test_a_broken_file_reports_pyyaml_s_message(tmp_path: Path) -> None:
    bad = tmp_path / "policy.yaml"
    bad.write_text("rules:\n  - id: a\n\ttitle: b\n", encoding="utf-8")
    with pytest.raises(PackError) as err:
        Y.read_yaml(bad)
    assert "found character '\\t' that cannot start any token" in str(err.value)
    assert err.value.line == 3
