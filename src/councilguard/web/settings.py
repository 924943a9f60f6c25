"""What the web app needs to know to start: where the database is, which policy pack, how to sign cookies.

Kept as one frozen object so ``create_app(settings)`` is the only way in: tests build an app on a
temporary SQLite file with a fake clock, ``councilguard serve`` builds one from its options and the
environment. Nothing here reads the environment at import time.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

SECRET_ENV = "COUNCILGUARD_SECRET_KEY"


@dataclass(frozen=True)
class WebSettings:
    """Settings for one app instance. ``db_url`` follows ``councilguard.records.db.resolve_url``."""

    db_url: str | None = None
    policy: str | None = None  # a bundled pack name or a pack folder (default croxley-green)
    secret_key: str = ""  # signs session cookies; random per process when empty (sign-ins end at restart)
    https_only: bool = False  # set the Secure flag on the session cookie (behind HTTPS)
    session_max_age: int = 8 * 60 * 60  # seconds a sign-in lasts
    sign_in_failures: int = 5  # failed sign-ins allowed per account and per address ...
    sign_in_window: float = 15 * 60  # ... within this many seconds
    migrate: bool = True  # bring the database schema up to date at start-up
    warm_up: bool = True  # load the checker's models at start-up, so the first check is quick
    clock: Callable[[], float] = field(default=time.monotonic, compare=False)  # for the sign-in limiter
    now: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc), compare=False)  # wall clock
    purge_every: float = 60 * 60  # seconds between deletions of kept drafts past their date (also at start-up)

    def signing_key(self) -> str:
        return self.secret_key or os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)
