"""The outcomes of a standards complaint, as the council's policy pack lists them, and the check that an
outcome recorded at the desk is one of them.

A parish council does not decide sanctions: the principal authority's standards arrangements do
(Localism Act 2011 s28), and a parish may act only on what they recommend. So the list is data the
council keeps in its pack (``policy.yaml`` ``sanctions:``), each outcome naming who may decide it and the
law that lets them, and the desk can record only an outcome on that list, decided by that body, with the
date and the decision's reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from councilguard.policy import Pack
from councilguard.workflow.desk_errors import InvalidValue
from councilguard.workflow.evidence import words

NOT_OURS = ("The parish council does not decide sanctions. Complaints that a councillor has breached the Code "
            "of Conduct are decided under the principal authority's standards arrangements (Localism Act 2011 "
            "s28); the parish council records the outcome they decide and may act only on what they recommend.")


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    decided_by: str
    legal_basis: str
    note: str = ""


@dataclass(frozen=True)
class Outcome:
    """An outcome as decided: the option (as the pack read that day), when, and the decision's reference."""

    option: Option
    decided_on: date
    reference: str


class Sanctions:
    """The outcomes one council's pack lists."""

    def __init__(self, pack: Pack):
        configured = pack.sanctions
        self.pack_id = pack.id
        self.principal_authority = configured.principal_authority if configured else None
        self.options = tuple(Option(o.id, o.label, o.decided_by, o.legal_basis, o.note)
                             for o in (configured.options if configured else ()))

    @property
    def configured(self) -> bool:
        return bool(self.options)

    def option(self, option_id: str, *, where: str = "outcome") -> Option:
        """The option ``option_id``; InvalidValue listing the configured ones when it is not one of them."""
        if not self.options:
            raise InvalidValue(f"the policy pack {self.pack_id!r} lists no outcomes of standards complaints, so "
                               "none can be recorded: ask whoever keeps the pack to add a sanctions: section to "
                               "policy.yaml (see docs/policy-packs.md)", where=where)
        for option in self.options:
            if option.id == (option_id or "").strip():
                return option
        listed = ", ".join(o.id for o in self.options)
        raise InvalidValue(f"{option_id!r} is not an outcome this council's policy pack lists, so it cannot be "
                           f"recorded; the outcomes are: {listed}", where=where)

    def outcome(self, option_id: str, *, decided_on: date | None, reference: str | None, today: date,
                referred_on: date | None = None) -> Outcome:
        """A checked outcome: a listed option, decided on a real past date (not before the referral), with
        the decision's reference (the decision notice, the committee's minute)."""
        option = self.option(option_id)
        if decided_on is None:
            raise InvalidValue(f"give the date {option.decided_by} decided it", where="decided_on")
        if decided_on > today:
            raise InvalidValue(f"the decision date {decided_on} is in the future; record an outcome once it has "
                               "been decided", where="decided_on")
        if referred_on is not None and decided_on < referred_on:
            raise InvalidValue(f"the decision date {decided_on} is before the referral ({referred_on})",
                               where="decided_on")
        ref = words(reference, where="decision_ref", label="The decision's reference (the decision notice or "
                    "minute)", limit=200)
        return Outcome(option, decided_on, ref)
