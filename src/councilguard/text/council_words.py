"""How people write the name of a local council's kind, for patterns that must work for every council.

England has parish, town, village, neighbourhood and community councils; Wales community and town
councils; Scotland community councils. A pattern written for "the parish council" alone misses "the
community council" in every Welsh pack, so the word lists say ``LOCAL_COUNCIL`` instead.
"""

from __future__ import annotations

import re

KINDS = ("parish", "town", "community", "village", "neighbourhood", "city")
LOCAL_KIND = r"(?:" + "|".join(KINDS) + r")"
# "council", "parish council", "community council"… (a regex fragment, no groups that capture)
LOCAL_COUNCIL = rf"(?:{LOCAL_KIND}\s+)?council"
LOCAL_COUNCILLOR = rf"(?:{LOCAL_KIND}\s+)?councillor"


def kind_of(name: str) -> str | None:
    """The kind in a council's own name: "community" for "Manordeilo & Salem Community Council"."""
    found = re.search(rf"\b({LOCAL_KIND})\s+council\b", name, re.IGNORECASE)
    return found.group(1).lower() if found else None
