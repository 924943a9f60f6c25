"""Loading a policy pack from a folder, with errors that name file, line, key and problem."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from councilguard.errors import PackError, UnknownRuleError
from councilguard.policy.council import Council
from councilguard.policy.schema import CouncilFile, PolicyFile, RelaySettings, Rule, Sanctions
from councilguard.policy.yaml_source import Loc, format_loc, line_for, read_yaml

POLICY_FILE = "policy.yaml"
BUNDLED = "councilguard.policy.packs"


@dataclass
class Pack:
    """A loaded, validated policy pack."""

    root: Path
    policy: PolicyFile
    council_file: CouncilFile
    source_text: str
    _lines: dict[Loc, int] = field(repr=False, default_factory=dict)

    # --- construction ----------------------------------------------------------------------
    @classmethod
    def load(cls, root: str | Path) -> "Pack":
        root = Path(root)
        if not root.is_dir():
            raise PackError("is not a folder holding a policy pack (policy.yaml, council.yaml)", file=str(root))
        policy_path = root / POLICY_FILE
        policy, lines = _validated(PolicyFile, policy_path)
        council_path = root / policy.pack.council
        council, _ = _validated(CouncilFile, council_path)
        source_path = root / policy.pack.source
        try:
            source = source_path.read_text(encoding="utf-8")
        except OSError:
            raise PackError("policy source text is missing", file=str(source_path),
                            line=line_for(lines, ("pack", "source")), path="pack.source") from None
        pack = cls(root=root, policy=policy, council_file=council, source_text=source, _lines=lines)
        pack._check_consistency(policy_path)
        return pack

    @classmethod
    def bundled(cls, name: str = "croxley-green") -> "Pack":
        base = resources.files(BUNDLED)
        folder = base / name
        if not folder.is_dir():
            known = sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("_"))
            raise PackError(f"no bundled pack {name!r}; bundled packs are: {', '.join(known)}", file=name)
        return cls.load(Path(str(folder)))

    @classmethod
    def resolve(cls, name_or_path: str | Path | None) -> "Pack":
        """A bundled pack by name, or a pack folder by path; the default is Croxley Green."""
        if name_or_path is None:
            return cls.bundled()
        if isinstance(name_or_path, Path) or "/" in str(name_or_path) or Path(name_or_path).is_dir():
            return cls.load(name_or_path)
        return cls.bundled(str(name_or_path))

    # --- queries --------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.policy.pack.id

    @property
    def rules(self) -> list[Rule]:
        return list(self.policy.rules)

    def rule(self, rule_id: str) -> Rule:
        for r in self.policy.rules:
            if r.id == rule_id:
                return r
        raise UnknownRuleError(rule_id, [r.id for r in self.policy.rules])

    @property
    def sanctions(self) -> Sanctions | None:
        """The outcomes of standards complaints the Clerk may record (policy.yaml ``sanctions:``), if listed."""
        return self.policy.sanctions

    @property
    def relay(self) -> RelaySettings:
        """What the checking SMTP relay does with council mail (policy.yaml ``relay:``, defaults otherwise)."""
        return self.policy.relay

    @cached_property
    def council(self) -> Council:
        return Council(self.council_file)

    @property
    def logo_path(self) -> Path | None:
        logo = self.council_file.council.logo
        return self.root / logo if logo else None

    def docs_link(self, rule_id: str) -> str:
        return self.policy.pack.docs_url.format(rule=rule_id)

    def error(self, loc: Loc, problem: str) -> PackError:
        """A PackError pointing at ``loc`` inside policy.yaml (for checks made by upper layers)."""
        return PackError(problem, file=str(self.root / POLICY_FILE), line=line_for(self._lines, loc),
                         path=format_loc(loc))

    def rule_loc(self, rule_id: str) -> Loc:
        index = next(i for i, r in enumerate(self.policy.rules) if r.id == rule_id)
        return ("rules", index)

    # --- validation across files ----------------------------------------------------------
    def _check_consistency(self, policy_path: Path) -> None:
        seen: set[str] = set()
        source = _squash(self.source_text)
        for i, rule in enumerate(self.policy.rules):
            if rule.id in seen:
                raise self.error(("rules", i, "id"), f"rule id {rule.id!r} appears twice")
            seen.add(rule.id)
            if _squash(rule.clause_text) not in source:
                raise self.error(("rules", i, "clause_text"),
                                 f"clause text {rule.clause_text[:60]!r} is not quoted word for word from "
                                 f"{self.policy.pack.source}")
        if self.policy.sanctions is not None:
            options: set[str] = set()
            for i, option in enumerate(self.policy.sanctions.options):
                if option.id in options:
                    raise self.error(("sanctions", "options", i, "id"), f"outcome id {option.id!r} appears twice")
                options.add(option.id)
        logo = self.logo_path
        if logo is not None and not logo.is_file():
            raise PackError("logo file named in council.yaml is missing", file=str(logo))


def _validated(model: type[BaseModel], path: Path) -> tuple[Any, dict[Loc, int]]:
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise PackError("expected a mapping at the top of the file", file=str(path), line=1)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        err = min(exc.errors(), key=lambda e: e["type"] == "missing")  # a misspelt key before the key it lacks
        loc = tuple(err["loc"])
        bad = err.get("input")
        what = err["msg"]
        if err["type"] == "missing":
            what = f"{loc[-1]!s} is required but missing"
        elif err["type"] == "extra_forbidden":
            what = f"{loc[-1]!s} is not a known key here"
        elif err["type"] == "enum":
            expected = err.get("ctx", {}).get("expected", "")
            what = f"{bad!r} is not allowed; expected {expected}"
        elif not isinstance(bad, (dict, list)):
            what = f"{what} (got {bad!r})"
        more = f" (and {len(exc.errors()) - 1} more problem(s))" if len(exc.errors()) > 1 else ""
        raise PackError(what + more, file=str(path), line=line_for(lines, loc), path=format_loc(loc)) from None


def _squash(text: str) -> str:
    """Lower case, letters and digits only, so quoting tolerates punctuation and line breaks."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
