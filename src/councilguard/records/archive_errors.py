"""Errors the records archive raises, each saying what was wrong and where (never a SQL traceback).

    CouncilguardError
    └── ArchiveError             the archive refused or could not do something
        ├── ArchiveItemError     an item to archive is not valid: which field, what was wrong
        ├── RecordNotFoundError  no record with that id
        ├── ContentDeletedError  the record's content was lawfully deleted; its tombstone remains
        ├── LegalHoldError       deletion refused: the record is under legal hold
        ├── HoldError            a hold cannot be placed or released as asked
        ├── SearchQueryError     the search words cannot be understood
        ├── RetentionScheduleError  the retention schedule file is malformed: file:line: key: problem
        ├── ReceiptError         a chain receipt file cannot be read
        └── ArchiveSchemaError   the database holds no archive, or an older one
"""

from __future__ import annotations

from councilguard.errors import CouncilguardError


class ArchiveError(CouncilguardError):
    """Base of every error the records archive raises on purpose."""


class ArchiveItemError(ArchiveError, ValueError):
    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        super().__init__(f"archive item: {field}: {problem}")


class RecordNotFoundError(ArchiveError, LookupError):
    def __init__(self, record_id: int):
        self.record_id = record_id
        super().__init__(f"no record {record_id} in the archive")


class ContentDeletedError(ArchiveError):
    def __init__(self, record_id: int, when: str, why: str):
        self.record_id = record_id
        super().__init__(f"record {record_id}: its content was deleted on {when} ({why}); only its tombstone remains")


class LegalHoldError(ArchiveError):
    def __init__(self, record_id: int, holds: list[str]):
        self.record_id = record_id
        self.holds = holds
        names = ", ".join(repr(h) for h in holds)
        super().__init__(f"record {record_id} is under legal hold {names}: its content cannot be deleted "
                         "until every hold on it is released")


class HoldError(ArchiveError):
    """A hold that cannot be placed or released as asked."""


class SearchQueryError(ArchiveError, ValueError):
    def __init__(self, query: str, problem: str):
        self.query = query
        self.problem = problem
        super().__init__(f"search {query!r}: {problem}")


class RetentionScheduleError(ArchiveError):
    def __init__(self, problem: str, *, file: str, line: int | None = None, path: str = ""):
        self.problem = problem
        self.file = file
        self.line = line
        self.path = path
        where = file if line is None else f"{file}:{line}"
        key = f" {path}:" if path else ""
        super().__init__(f"{where}:{key} {problem}")


class ReceiptError(ArchiveError):
    def __init__(self, source: str, problem: str):
        super().__init__(f"{source}: not a chain receipt: {problem}")


class ArchiveSchemaError(ArchiveError):
    """The database holds no archive tables, or an older version of them."""
