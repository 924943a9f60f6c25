"""Reading form fields into clean values, or a FormError naming the field and what was wrong.

Shared by the councillor forms and the desk, so every form trims, limits and parses dates the same way
and the page can point the person at the field to fix (``FormError.where`` is the field's id).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from councilguard.text.addresses import is_address
from councilguard.web.errors import FormError


def text(form: Mapping[str, Any], name: str, label: str, *, limit: int, required: bool = True) -> str:
    """The field's text, trimmed; a FormError when required and empty, or longer than ``limit``."""
    value = str(form.get(name) or "").strip()
    if required and not value:
        raise FormError(f"{label} is needed", where=name)
    if len(value) > limit:
        raise FormError(f"{label} is {len(value)} characters; the most is {limit}", where=name)
    return value


def day(form: Mapping[str, Any], name: str, label: str, *, required: bool = True) -> date | None:
    """The field as a date (YYYY-MM-DD, what a date input sends), or None when optional and empty."""
    value = str(form.get(name) or "").strip()
    if not value:
        if required:
            raise FormError(f"{label} is needed (a date like 2027-05-31)", where=name)
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FormError(f"{label} {value!r} is not a date; write it like 2027-05-31", where=name) from None


def email(form: Mapping[str, Any], name: str, label: str) -> str:
    value = text(form, name, label, limit=320).lower()
    if not is_address(value):
        raise FormError(f"{label} {value!r} is not an e-mail address", where=name)
    return value


def link(form: Mapping[str, Any], name: str, label: str) -> str:
    value = text(form, name, label, limit=2000)
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value, re.IGNORECASE):
        raise FormError(f"{label} should be the web address you copied, starting https://", where=name)
    return value
