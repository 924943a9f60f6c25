"""The shape of a policy pack, validated strictly so a Clerk's typo is caught with its line number.

A pack is a folder holding ``policy.yaml`` (the rules: clause, wording, severity, which detectors
serve each rule and with what parameters), ``council.yaml`` (who is who: roster, domains, official
accounts, logo, consents) and the policy's source text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from councilguard.model import Severity

RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DETECTOR_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9-]*$")


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- policy.yaml ----------------------------------------------------------------------------------


class DetectorUse(_Schema):
    """One detector serving a rule, with the parameters the pack gives it."""

    detector: str
    params: dict[str, Any] = Field(default_factory=dict)
    min_confidence: float = Field(default=0.5, ge=0.0, le=1.0)

    @field_validator("detector")
    @classmethod
    def _detector_id(cls, value: str) -> str:
        if not DETECTOR_ID.match(value):
            raise ValueError(f"{value!r} is not a detector id; expected family.name, e.g. conduct.abuse")
        return value


class Rule(_Schema):
    id: str
    title: str
    clause: str
    clause_text: str
    severity: Severity
    detect: list[DetectorUse] = Field(min_length=1)
    explanation: str
    remedy: str
    law: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _rule_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"{value!r} is not a rule id; use kebab-case such as abuse-councillor")
        return value


class PackInfo(_Schema):
    id: str
    name: str
    version: str
    status: Literal["draft", "adopted"] = "draft"
    source: str = "policy.txt"
    council: str = "council.yaml"
    docs_url: str = "docs/rules/{rule}.md"
    language: Literal["en"] = "en"


class RelaySettings(_Schema):
    """What the checking SMTP relay does with council mail, by the worst finding's severity.

    ``hold`` accepts the message (250) and keeps it for the Clerk; ``reject`` refuses it with a
    permanent error naming the rule and the fix; ``relay`` sends it on. A sender may override a
    warning (never a block) with a recorded justification. When the checker itself fails the pack
    chooses: fail-open relays the message, fail-closed holds it; it is archived either way.
    """

    on_block: Literal["reject", "hold"] = "reject"
    on_warn: Literal["hold", "relay", "reject"] = "hold"
    on_advice: Literal["relay", "hold"] = "relay"
    on_checker_failure: Literal["fail-open", "fail-closed"] = "fail-closed"
    override: Literal["warn", "none"] = Field(
        default="warn", description="which findings a sender may override with a justification")
    override_header: str = "X-Councilguard-Override"
    notice: str = Field(
        default="Council e-mail passes through councilguard, which checks it against the council's social media and "
                "e-mail policy and keeps it as an official record (Freedom of Information Act 2000, UK GDPR, public "
                "records law). Messages that may breach the policy are held for the Clerk or returned with the reason.",
        description="the plain-words notice councillors and staff are shown and acknowledge")


class SanctionOption(_Schema):
    """One outcome a standards complaint can have, who may decide it, and the law that lets them.

    A parish council cannot impose sanctions of its own (Localism Act 2011 s28; Taylor v Honiton Town
    Council [2016] EWHC 3307 (Admin)): the Clerk records what the principal authority's standards process
    decided, and only outcomes listed here can be recorded.
    """

    id: str
    label: str = Field(min_length=1)
    decided_by: str = Field(min_length=1, description="who may decide it, e.g. the principal authority's "
                                                      "standards committee")
    legal_basis: str = Field(min_length=1, description="e.g. Localism Act 2011 s28(6)")
    note: str = ""

    @field_validator("id")
    @classmethod
    def _option_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"{value!r} is not an outcome id; use kebab-case such as no-breach")
        return value


class Sanctions(_Schema):
    """The outcomes of standards complaints this council records, and the authority that decides them."""

    principal_authority: str = Field(min_length=1, description="whose standards arrangements decide "
                                                               "complaints about this council's members")
    options: list[SanctionOption] = Field(min_length=1)


class PolicyFile(_Schema):
    pack: PackInfo
    rules: list[Rule] = Field(min_length=1)
    relay: RelaySettings = Field(default_factory=RelaySettings)
    sanctions: Sanctions | None = None


# --- council.yaml ---------------------------------------------------------------------------------


class OfficialAccount(_Schema):
    channel: str
    handle: str


class CouncilInfo(_Schema):
    name: str
    short_names: list[str] = Field(default_factory=list)
    domains: list[str] = Field(min_length=1)
    official_accounts: list[OfficialAccount] = Field(default_factory=list)
    logo: str | None = None
    places: list[str] = Field(default_factory=list)
    other_authorities: list[str] = Field(default_factory=list)


class Person(_Schema):
    name: str
    role: str | None = None
    title: str | None = None
    email: str | None = None
    personal_emails: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)


class Consent(_Schema):
    """A standing consent or authorisation recorded for a person (e.g. personal-email)."""

    person: str
    grants: str
    source: str | None = None
    scope: str | None = None
    expires: date | None = None


class CouncilFile(_Schema):
    council: CouncilInfo
    proper_officer: Person
    staff: list[Person] = Field(default_factory=list)
    councillors: list[Person] = Field(default_factory=list)
    secure_systems: list[str] = Field(default_factory=list)
    consents: list[Consent] = Field(default_factory=list)
