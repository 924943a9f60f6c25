"""What counts as an e-mail address wherever one is typed in: one check, so every entry point agrees.

Deliberately loose (something@somewhere.tld, no spaces, no second @, no angle brackets): a council's
forms must accept every address people really use, while rejecting a name, a "Name <addr>" pair or
two addresses run together, which would otherwise be stored and matched against nothing.
"""

from __future__ import annotations

import re

_ADDRESS = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")


def is_address(value: str) -> bool:
    """Whether ``value`` is a bare e-mail address."""
    return _ADDRESS.fullmatch(value) is not None
