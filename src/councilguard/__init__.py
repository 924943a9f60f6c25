"""councilguard: check councillors' posts and e-mails against their council's policy, offline.

    from councilguard import Checker
    report = Checker.from_pack("croxley-green").check({"text": "…", "kind": "post"})
"""

from councilguard.engine import Checker
from councilguard.errors import CouncilguardError, MessageError, PackError, UnknownRuleError
from councilguard.model import Evidence, Finding, Fix, Message, Report, Severity
from councilguard.policy import Pack

__all__ = [
    "Checker",
    "CouncilguardError",
    "Evidence",
    "Finding",
    "Fix",
    "Message",
    "MessageError",
    "Pack",
    "PackError",
    "Report",
    "Severity",
    "UnknownRuleError",
]
__version__ = "0.1.0"
