"""The retention schedule as data: classes of record, how long each is kept, and rules that assign them.

The Clerk edits a YAML file, not code (``retention_defaults.yaml`` is the starting point). It is validated
strictly, and a mistake is reported as ``file:line: key.path: problem`` so it can be found and fixed. A
record's class is worked out from its stored facts (sender, recipients, subject) each time a deletion run
is planned, so a corrected rule applies to the whole archive at once.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from councilguard.records.archive_errors import RetentionScheduleError

DEFAULTS = Path(__file__).resolve().parent / "retention_defaults.yaml"
Loc = tuple[str | int, ...]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetentionClass(_Strict):
    title: str = Field(min_length=1)
    years: int = Field(default=0, ge=0, le=200)
    months: int = Field(default=0, ge=0, le=11)
    counted_from: Literal["message-date", "end-of-year", "end-of-financial-year"] = "message-date"
    permanent: bool = False
    source: str = Field(min_length=1)

    @model_validator(mode="after")
    def _period(self) -> RetentionClass:
        if self.permanent and (self.years or self.months):
            raise ValueError("a permanent class has no years or months")
        if not self.permanent and not (self.years or self.months):
            raise ValueError("give years (and/or months) to keep, or permanent: true")
        return self

    def describe(self) -> str:
        if self.permanent:
            return "permanently"
        period = " ".join(p for p in (f"{self.years} years" if self.years else "",
                                      f"{self.months} months" if self.months else "") if p)
        start = {"message-date": "the message's date", "end-of-year": "the end of its calendar year",
                 "end-of-financial-year": "the end of its financial year (31 March)"}[self.counted_from]
        return f"{period} from {start}"

    def keep_until(self, dated: date) -> date | None:
        """The last day a record dated ``dated`` must be kept (None: kept permanently)."""
        if self.permanent:
            return None
        start = dated
        if self.counted_from == "end-of-year":
            start = date(dated.year, 12, 31)
        elif self.counted_from == "end-of-financial-year":
            start = date(dated.year if dated <= date(dated.year, 3, 31) else dated.year + 1, 3, 31)
        return add_months(start, self.years * 12 + self.months)


class ClassRule(_Strict):
    class_: str = Field(alias="class", min_length=1)
    sender: list[str] = Field(default_factory=list)
    recipient: list[str] = Field(default_factory=list)
    subject: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _something(self) -> ClassRule:
        if not (self.sender or self.recipient or self.subject):
            raise ValueError("a rule needs at least one of sender, recipient, subject")
        return self

    def match(self, sender: str, recipients: list[str], subject: str) -> str | None:
        """Why this rule matches (for the plan's 'why' column), or None."""
        why = []
        if self.sender:
            hit = next((p for p in self.sender if fnmatchcase(sender.lower(), p.lower())), None)
            if hit is None:
                return None
            why.append(f"sender matches {hit}")
        if self.recipient:
            hit = next((p for p in self.recipient if any(fnmatchcase(r.lower(), p.lower()) for r in recipients)),
                       None)
            if hit is None:
                return None
            why.append(f"a recipient matches {hit}")
        if self.subject:
            hit = next((w for w in self.subject if _words(w).search(subject)), None)
            if hit is None:
                return None
            why.append(f"subject mentions {hit!r}")
        return " and ".join(why)


class Schedule(_Strict):
    version: Literal[1] = 1
    default_class: str = "correspondence"
    classes: dict[str, RetentionClass]
    rules: list[ClassRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_classes(self) -> Schedule:
        if self.default_class not in self.classes:
            raise _UnknownClass(("default_class",), self.default_class, list(self.classes))
        for i, rule in enumerate(self.rules):
            if rule.class_ not in self.classes:
                raise _UnknownClass(("rules", i, "class"), rule.class_, list(self.classes))
        return self

    def classify(self, sender: str, recipients: list[str], subject: str) -> tuple[str, str]:
        """The record's class and why (which rule matched, or that the default applied)."""
        for i, rule in enumerate(self.rules):
            why = rule.match(sender, recipients, subject)
            if why is not None:
                return rule.class_, f"rule {i + 1}: {why}"
        return self.default_class, "no rule matched: the default class"


@dataclass
class LoadedSchedule:
    schedule: Schedule
    path: Path


class _UnknownClass(ValueError):
    def __init__(self, loc: Loc, name: str, known: list[str]):
        self.loc = loc
        super().__init__(f"{name!r} is not a class in this schedule; classes are: {', '.join(known)}")


def load_schedule(path: str | Path | None = None) -> LoadedSchedule:
    """Read and validate a schedule (the packaged defaults when ``path`` is None)."""
    path = Path(path) if path is not None else DEFAULTS
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RetentionScheduleError(f"cannot be read ({exc.__class__.__name__}: {exc})", file=str(path)) from None
    try:
        data = yaml.safe_load(text)
        lines = _lines(yaml.compose(text)) if data is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise RetentionScheduleError(f"not valid YAML: {exc.problem}", file=str(path),
                                     line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict):
        raise RetentionScheduleError("expected a mapping with classes: and rules:", file=str(path), line=1)
    try:
        return LoadedSchedule(Schedule.model_validate(data), path)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc: Loc = tuple(err["loc"])
        cause = err.get("ctx", {}).get("error")
        if isinstance(cause, _UnknownClass):
            loc, message = cause.loc, str(cause)
        elif err["type"] == "missing":
            message = f"{loc[-1]} is required but missing"
        elif err["type"] == "extra_forbidden":
            message = f"{loc[-1]} is not a known key here"
        else:
            message = err["msg"].removeprefix("Value error, ")
            if not isinstance(err.get("input"), (dict, list)):
                message += f" (got {err.get('input')!r})"
        raise RetentionScheduleError(message, file=str(path), line=_line_for(lines, loc),
                                     path=_format(loc)) from None


def _words(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, phrase.split())) + r"(?!\w)", re.IGNORECASE)


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _lines(node: yaml.Node, loc: Loc = (), out: dict[Loc, int] | None = None) -> dict[Loc, int]:
    """Map each key path in the YAML to its 1-based line, so errors can point at it."""
    out = {} if out is None else out
    out.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out[(*loc, key.value)] = key.start_mark.line + 1
            _lines(value, (*loc, key.value), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, (*loc, i), out)
    return out


def _line_for(lines: dict[Loc, int], loc: Loc) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _format(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def schedule_summary(schedule: Schedule) -> list[dict[str, Any]]:
    """One row per class, for ``councilguard archive retention show``."""
    return [{"class": name, "title": c.title, "keep": c.describe(), "source": " ".join(c.source.split())}
            for name, c in schedule.classes.items()]
