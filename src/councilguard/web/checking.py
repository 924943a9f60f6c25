"""One place where the web app checks a draft: as the signed-in author, one at a time, counted, not kept.

The app has one Checker, built at start-up. Routes run in a thread pool, so checks are serialised with a
lock rather than trusting every detector's models to be safe across threads; a check takes milliseconds
and a parish council's traffic is small. Only the verdict is counted (see ``check_counts``).
"""

from __future__ import annotations

import threading
from typing import Any

from councilguard.engine import Checker
from councilguard.model import Report
from councilguard.web.check_counts import CheckCounts
from councilguard.web.drafts import author_of
from councilguard.web.users import User


class DraftChecker:
    def __init__(self, checker: Checker, counts: CheckCounts):
        self.checker = checker
        self.pack = checker.pack
        self._counts = counts
        self._lock = threading.Lock()

    def author(self, user: User) -> dict[str, str]:
        return author_of(user, self.pack)

    def check(self, user: User, message: dict[str, Any], *, count: bool = True) -> Report:
        """Check ``message`` with ``user`` as its author (whatever author it claims). Raises MessageError."""
        with self._lock:  # the count too: two first-of-the-day inserts never race within this process
            report = self.checker.check({**message, "author": self.author(user)})
            if count:
                self._counts.add(report.verdict)
        return report
