"""One place where the web app checks a draft: as the signed-in author, one at a time, counted, not kept.

The app has one Checker, built at start-up. Routes run in a thread pool, so checks are serialised with a
lock rather than trusting every detector's models to be safe across threads; a check takes milliseconds
and a parish council's traffic is small. Only the verdict is counted (see ``check_counts``).

The authorisations a message carries are the ones the register holds for the author today (speaking for
the council, spending, an official-account designation covering the message's channel, a personal e-mail
consent), never ones the request claims: the checker honours only what the Clerk has recorded.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

from councilguard.engine import Checker
from councilguard.errors import MessageError
from councilguard.model import Report
from councilguard.web.check_counts import CheckCounts
from councilguard.web.drafts import author_of
from councilguard.web.errors import NotFoundHere
from councilguard.web.users import User, UserStore
from councilguard.workflow.authorisations import Authorisations


@dataclass(frozen=True)
class Picture:
    """A picture uploaded with a draft (already known to be an image): checked, then thrown away."""

    filename: str
    content_type: str
    data: bytes


class DraftChecker:
    def __init__(self, checker: Checker, counts: CheckCounts, authorisations: Authorisations):
        self.checker = checker
        self.pack = checker.pack
        self._counts = counts
        self.authorisations = authorisations
        self._lock = threading.Lock()

    def author(self, user: User) -> dict[str, str]:
        return author_of(user, self.pack)

    def check(self, user: User, message: dict[str, Any], *, count: bool = True,
              pictures: Sequence[Picture] = ()) -> Report:
        """Check ``message`` with ``user`` as its author and the authorisations they hold today (whatever
        author or authorisations it claims), with ``pictures`` attached. Raises MessageError."""
        _refuse_server_paths(message)
        channel = message.get("channel")
        held = self.authorisations.held_by(user.id, date.today(), channel if isinstance(channel, str) else None)
        message = {**message, "author": self.author(user), "authorisations": sorted(held)}
        # the checker reads attachments from files: each picture lives in a private temporary folder for
        # the length of the check only, so nothing of a draft outlives it
        with tempfile.TemporaryDirectory(prefix="councilguard-picture-") as folder:
            if pictures:
                message["attachments"] = [*(message.get("attachments") or []), *_written(pictures, Path(folder))]
            with self._lock:  # the count too: two first-of-the-day inserts never race within this process
                report = self.checker.check(message)
                if count:
                    self._counts.add(report.verdict)
        return report


def _written(pictures: Sequence[Picture], folder: Path) -> list[dict[str, str]]:
    attachments = []
    for i, picture in enumerate(pictures):
        path = folder / f"picture-{i}"
        path.write_bytes(picture.data)
        attachments.append({"filename": picture.filename or f"picture-{i}", "content_type": picture.content_type,
                            "path": str(path)})
    return attachments


def _refuse_server_paths(message: dict[str, Any]) -> None:
    """An attachment ``path`` names a file on the server's own disk: fine for the batch command, which
    reads the councillor's own files, but over the web it would let anyone probe which files exist."""
    attachments = message.get("attachments")
    if not isinstance(attachments, list):
        return
    for i, attachment in enumerate(attachments):
        if isinstance(attachment, dict) and "path" in attachment:
            raise MessageError(f"attachments[{i}].path is not accepted here: upload the file instead "
                               "(describe it with filename, content_type and description)")


def checks_by_id(drafts: DraftChecker, users: UserStore) -> Callable[[int, dict[str, Any]], Report]:
    """``drafts.check`` for the account with an id (the official posts queue re-checks a post as its drafter)."""
    def check(user_id: int, message: dict[str, Any]) -> Report:
        user = users.get(user_id)
        if user is None:
            raise NotFoundHere(f"there is no account {user_id}", where="drafted_by")
        return drafts.check(user, message)
    return check
