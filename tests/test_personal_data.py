"""The public personal-data finder: every item, by kind and span, for redaction."""

import pytest

from councilguard.personal_data import find_personal_data
from councilguard.policy import Pack

PACK = Pack.resolve("croxley-green")

CASES = [
    ("Ring 07700 900123 tonight.", False, [("UK_PHONE", "07700 900123")]),
    ("Write to joan.baker@example.com please.", False, [("EMAIL_ADDRESS", "joan.baker@example.com")]),
    ("The bus shelter is lovely.", True, []),
    ("Please ring Mrs Joan Baker on 07700 900123.", True, [("PERSON", "Mrs Joan Baker"), ("UK_PHONE", "07700 900123")]),
    ("Cllr Sharma agreed with the plan.", True, [("PERSON", "Cllr Sharma")]),
]


@pytest.mark.parametrize("text, names, expected", CASES)
def test_items(text, names, expected):
    items = find_personal_data(text, PACK, names=names)
    assert [(i.kind, i.text) for i in items] == expected
    for i in items:
        assert text[i.start:i.end] == i.text
