"""The relay's settings: where it listens, where it sends, where it keeps mail, how big a message may be.

Settings come from the command line (``councilguard relay serve``) or from code (tests, benchmarks); a bad
value is a :class:`RelaySettingError` naming the setting and what is allowed, before anything starts.
What to *do* with a checked message is not here: that is policy, in the pack's ``relay:`` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from councilguard.gateway.delivery import Backoff, Upstream
from councilguard.gateway.errors import RelaySettingError

MB = 2**20
DEFAULT_MAX_MESSAGE = 35 * MB  # what common providers accept; base64 makes a 25 MB attachment ~34 MB
DEFAULT_SPOOL = "councilguard-spool"
_HOSTPORT = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\[\]]*)):(?P<port>\d{1,5})$")


def parse_hostport(value: str, setting: str, *, default_host: str = "127.0.0.1") -> tuple[str, int]:
    """``host:port``, ``[::1]:port`` or ``:port`` (on ``default_host``) as (host, port)."""
    found = _HOSTPORT.match((value or "").strip())
    if not found:
        raise RelaySettingError(setting, f"{value!r} is not HOST:PORT (for example 127.0.0.1:10025, or "
                                         "[::1]:10025 for IPv6)")
    port = int(found["port"])
    if not 0 <= port <= 65535:
        raise RelaySettingError(setting, f"port {port} is not between 0 and 65535")
    host = found["v6"] or found["host"] or default_host
    return host, port


def human_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} bytes"


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"  # the relay's and its helper processes' logs


@dataclass(frozen=True)
class RelayConfig:
    """Everything the relay needs to run; ``policy`` None means the bundled Croxley Green pack."""

    upstream: Upstream
    spool: Path
    db: str | None = None
    listen_host: str = "127.0.0.1"
    listen_port: int = 10025
    policy: str | None = None
    max_message_bytes: int = DEFAULT_MAX_MESSAGE
    notice_from: str | None = None
    hostname: str | None = None  # the name the relay gives in its greeting and EHLO reply
    threads: int = 2  # messages taken through intake at once
    check_processes: int = 0  # checker worker processes; 0 checks in the relay's own process
    backoff: Backoff = field(default_factory=Backoff)
    poll_seconds: float = 2.0  # how often the delivery worker looks for mail the Clerk released
    # deliver from a process of its own (None: when checking has processes of its own too)
    delivery_process: bool | None = None

    def __post_init__(self) -> None:
        if self.max_message_bytes < 1024:
            raise RelaySettingError("max message size", f"{self.max_message_bytes} bytes is too small to hold "
                                                         "an e-mail; give at least 1 KB (the default is 35 MB)")
        if self.threads < 1:
            raise RelaySettingError("threads", "at least 1 is needed")
        if not 0 <= self.check_processes <= 64:
            raise RelaySettingError("--processes", f"{self.check_processes}: give 0 (check in the relay's own "
                                                   "process) up to 64")

    @classmethod
    def from_strings(cls, *, listen: str, upstream: str, spool: str | Path, db: str | None = None,
                     policy: str | None = None, max_message_mb: float | None = None,
                     notice_from: str | None = None, processes: int = 0) -> RelayConfig:
        """Settings as typed on the command line (``--listen HOST:PORT --upstream HOST:PORT``...)."""
        host, port = parse_hostport(listen, "--listen")
        up_host, up_port = parse_hostport(upstream, "--upstream")
        if max_message_mb is not None and max_message_mb <= 0:
            raise RelaySettingError("--max-size", f"{max_message_mb:g} MB: give a size above 0")
        size = DEFAULT_MAX_MESSAGE if max_message_mb is None else int(max_message_mb * MB)
        if notice_from is not None and "@" not in notice_from:
            raise RelaySettingError("--notice-from", f"{notice_from!r} is not an e-mail address")
        return cls(upstream=Upstream(up_host, up_port), spool=Path(spool), db=db, listen_host=host,
                   listen_port=port, policy=policy, max_message_bytes=size, notice_from=notice_from,
                   threads=max(2, processes), check_processes=processes)
