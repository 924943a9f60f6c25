"""Helper processes that must not outlive the relay, even when it is killed with ``kill -9``.

A killed process runs no clean-up, so its checker and delivery processes would go on running, holding
files and (the deliverer) sending mail a restarted relay also sends. Each watches for its parent to go:
once it has been re-parented, nothing will ever ask it for anything again, and it exits.
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int, every: float = 1.0) -> None:
    """Exit this process (at once, skipping clean-up) within ``every`` seconds of ``parent`` going."""

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()
