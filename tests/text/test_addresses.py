"""The one e-mail address check every entry point uses (forms, accounts, requests, consents)."""

from __future__ import annotations

import pytest

from councilguard.text.addresses import is_address


@pytest.mark.parametrize("value,ok", [
    ("clerk@croxleygreen-pc.gov.uk", True),
    ("jameslowe1962@gmail.com", True),
    ("o'brien+council@example.org", True),
    ("", False),
    ("James Lowe", False),
    ("James Lowe <jameslowe1962@gmail.com>", False),
    ("<jameslowe1962@gmail.com>", False),
    ("a@b@example.org", False),
    ("clerk@localhost", False),
    ("clerk @croxleygreen-pc.gov.uk", False),
    ("one@example.org two@example.org", False),
])
def test_is_address(value, ok):
    assert is_address(value) is ok
