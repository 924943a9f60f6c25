"""Policy packs: the council's rules and profile as data (no detector or engine code here)."""

from councilguard.policy.council import Council, Member
from councilguard.policy.pack import Pack
from councilguard.policy.schema import RelaySettings, Rule

__all__ = ["Council", "Member", "Pack", "RelaySettings", "Rule"]
