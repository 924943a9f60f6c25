"""Errors the SMTP relay raises, each saying what was wrong and where.

    CouncilguardError
    └── RelayError           the relay cannot do what was asked
        ├── RelaySettingError   a setting (listen address, size limit...) is not valid: which, and why
        ├── SpoolError          the spool folder cannot be used (missing, locked by another relay, unreadable)
        └── HeldNotFoundError   no held message with that id
"""

from __future__ import annotations

from councilguard.errors import CouncilguardError


class RelayError(CouncilguardError):
    """Base of every error the relay raises on purpose."""


class RelaySettingError(RelayError, ValueError):
    def __init__(self, setting: str, problem: str):
        self.setting = setting
        self.problem = problem
        super().__init__(f"{setting}: {problem}")


class SpoolError(RelayError):
    """The spool folder cannot be used as asked."""


class HeldNotFoundError(RelayError, LookupError):
    def __init__(self, ident: str, known: list[str]):
        self.ident = ident
        shown = ", ".join(known[:20]) + (" ..." if len(known) > 20 else "") if known else "none"
        super().__init__(f"no held message {ident!r}; held messages are: {shown} "
                         "(see `councilguard relay held`)")

    def __str__(self) -> str:  # LookupError would quote the message
        return self.args[0]
