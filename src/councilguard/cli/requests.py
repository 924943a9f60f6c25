"""`councilguard request ...`: the Clerk's commands for FOI, EIR and subject access requests.

register -> search (each search holds what it matches) -> collect -> review -> propose -> accept/reject ->
export -> close -> release. `status`, `list`, `records`, `redactions`, `show` and `history` read. Every
command takes the archive from ``--db`` (or ``COUNCILGUARD_DB``) and answers a mistake with one plain
sentence, never a traceback.
"""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from sqlalchemy.exc import OperationalError

from councilguard.cli.common import DbOption, PolicyOption, fail, load_pack, open_archive
from councilguard.errors import CouncilguardError
from councilguard.records import db
from councilguard.records.archive import Archive
from councilguard.records.bundle import export_bundle
from councilguard.records.redaction import Redactions
from councilguard.records.request_store import CLOCK_EVENTS, DataSubject, Requester
from councilguard.records.requests import KIND_LABELS, OUTCOMES, Requests, RequestStatus
from councilguard.records.search import SearchCriteria

app = typer.Typer(name="request", no_args_is_help=True, add_completion=False,
                  help="Information requests (FOI, EIR, subject access): register, search and hold, review, "
                       "redact, export the response, close.")

_DATE = ["%Y-%m-%d"]
DateOpt = Optional[datetime]
Ref = Annotated[str, typer.Argument(help="The request's reference, e.g. FOI-2025-003.")]
By = Annotated[Optional[str], typer.Option("--by", help="Who is doing this (default: your login name).")]
Today = Annotated[DateOpt, typer.Option("--today", formats=_DATE, help="Act as of this date (YYYY-MM-DD).")]
Note = Annotated[Optional[str], typer.Option("--note", help="Your note: why (recorded with the step).")]


@app.callback()
def main(ctx: typer.Context,
         database: DbOption = None) -> None:
    """Information requests on the records archive."""
    ctx.obj = {"db": database}


class _Session:
    """The archive opened for one command, closed after it; CouncilguardErrors become one-line failures."""

    def __init__(self, ctx: typer.Context):
        url = db.resolve_url(ctx.obj.get("db") if ctx.obj else None)
        path = db.sqlite_path(url)
        if path is not None and not path.exists():
            fail(f"no archive at {path}: give --db or set {db.ENV_VAR}")
        try:
            self.archive = Archive.open(url)
        except OperationalError as exc:
            fail(f"cannot open the archive database ({str(exc.orig).strip().splitlines()[0]})")
        self.requests = Requests(self.archive)

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        self.archive.close()
        if isinstance(exc, CouncilguardError):
            fail(str(exc))
        return False


def _who(by: str | None) -> str:
    return by or getpass.getuser()


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _print_status(st: RequestStatus) -> None:
    r = st.request
    typer.echo(f"{r.reference}  {KIND_LABELS[r.kind]}  received {r.received}  from {r.requester.name}")
    if st.problem:
        typer.echo(f"  clock: cannot be read: {st.problem}")
    due = f"due {st.due}" if st.due else "no due date while the clock is stopped"
    if r.closed:
        timing = "" if st.on_time is None else ("; answered on time" if st.on_time else "; answered LATE")
        typer.echo(f"  closed {r.closed_on}: {r.outcome} ({OUTCOMES[r.outcome]}){timing}; {due}")
    else:
        typer.echo(f"  status {st.state}; {due}")
    if st.reading is not None:
        for line in st.reading.explanation:
            typer.echo(f"    {line}")
        for line in st.reading.warnings:
            typer.echo(f"    warning: {line}")
    for s in r.searches:
        typer.echo(f"  search {s.position}: {s.criteria.describe()}  (hold {s.hold_name!r})")
    typer.echo(f"  records: {st.collected} collected, {st.pending} to review, {st.in_scope} in scope "
               f"({st.withheld} withheld whole), {st.out_of_scope} out of scope; {st.undecided} undecided "
               "redaction proposal(s)")


# --- registering and the clock ----------------------------------------------------------------------------


@app.command()
def register(ctx: typer.Context,
             kind: Annotated[str, typer.Argument(help="foi, eir or sar.")],
             received: Annotated[datetime, typer.Option("--received", formats=_DATE, help="Day received.")],
             name: Annotated[str, typer.Option("--name", help="The requester's name.")],
             wording: Annotated[Optional[str], typer.Option("--wording", help="The request, as worded.")] = None,
             wording_file: Annotated[Optional[Path], typer.Option("--wording-file",
                                                                  help="...or a file holding it.")] = None,
             email: Annotated[Optional[str], typer.Option("--email", help="The requester's e-mail.")] = None,
             address: Annotated[Optional[str], typer.Option("--address", help="The requester's postal "
                                                                                "address.")] = None,
             reference: Annotated[Optional[str], typer.Option("--ref", help="Your own reference (default "
                                                              "KIND-YEAR-NNN).")] = None,
             subject_name: Annotated[Optional[list[str]], typer.Option("--subject-name", help="SAR: a name the "
                                                                       "data subject goes by (repeatable).")] = None,
             subject_email: Annotated[Optional[list[str]], typer.Option("--subject-email")] = None,
             subject_phone: Annotated[Optional[list[str]], typer.Option("--subject-phone")] = None,
             subject_address: Annotated[Optional[list[str]], typer.Option("--subject-address")] = None,
             search: Annotated[Optional[list[str]], typer.Option("--search", help="FOI/EIR: search words; each "
                                                                 "search holds what it matches.")] = None,
             nation: Annotated[str, typer.Option("--nation", help="The council's nation (subject access "
                                                  "holidays).")] = "england",
             by: By = None, today: Today = None) -> None:
    """Register a request; a subject access request is searched for and held at once."""
    if wording_file is not None:
        try:
            wording = wording_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {wording_file}: {exc}")
    with _Session(ctx) as sess:
        subject = DataSubject(names=tuple(subject_name or ()), emails=tuple(subject_email or ()),
                              phones=tuple(subject_phone or ()), addresses=tuple(subject_address or ()))
        req = sess.requests.register(kind.lower(), received=received.date(), requester=Requester(name, email, address),
                                     wording=wording or "", actor=_who(by), subject=subject, reference=reference,
                                     nation=nation, searches=[SearchCriteria(query=q) for q in search or ()],
                                     today=_day(today))
        typer.echo(f"Registered {req.reference}: {KIND_LABELS[req.kind]} received {req.received}.")
        if req.subject is not None:
            typer.echo(f"  data subject: {req.subject.describe()}")
        for s in req.searches:
            typer.echo(f"  search {s.position} ({s.criteria.describe()}) holds what it matches: hold {s.hold_name!r}")
        _print_status(sess.requests.status(req.reference, today=_day(today)))


@app.command()
def event(ctx: typer.Context, reference: Ref,
          kind: Annotated[str, typer.Argument(help=", ".join(CLOCK_EVENTS) + ".")],
          on: Annotated[datetime, typer.Option("--on", formats=_DATE, help="The day it happened.")],
          ground: Annotated[Optional[list[str]], typer.Option("--ground", help="Extension: public-interest, "
                                                              "complex, voluminous, number-of-requests.")] = None,
          reason: Annotated[Optional[str], typer.Option("--reason", help="Extension: the reason given.")] = None,
          new_due: Annotated[DateOpt, typer.Option("--new-due", formats=_DATE, help="FOI extension: the new "
                                                   "date told to the requester.")] = None,
          by: By = None, today: Today = None) -> None:
    """Record a clock event: clarification, fee, identity, extension."""
    with _Session(ctx) as sess:
        st = sess.requests.add_clock_event(reference, kind, on=on.date(), actor=_who(by), grounds=ground or (),
                                           reason=reason, new_due=_day(new_due), today=_day(today))
        typer.echo(f"Recorded {kind} on {on.date()}.")
        _print_status(st)


@app.command()
def status(ctx: typer.Context, reference: Ref, today: Today = None) -> None:
    """A request's due date, status, the reasoning, its searches and progress."""
    with _Session(ctx) as sess:
        _print_status(sess.requests.status(reference, today=_day(today)))


@app.command("list")
def list_(ctx: typer.Context,
          include_closed: Annotated[bool, typer.Option("--all", help="Include closed requests.")] = False,
          today: Today = None) -> None:
    """Requests by due date, soonest first."""
    with _Session(ctx) as sess:
        found = sess.requests.list_requests(today=_day(today), include_closed=include_closed)
    if not found:
        typer.echo("No requests." if include_closed else "No open requests.")
    for st in found:
        r = st.request
        typer.echo(f"{str(st.due or '-'):10}  {st.state:30}  {r.reference:14}  {r.kind.value}  received {r.received}"
                   f"  {r.requester.name}")


@app.command("history")
def history(ctx: typer.Context, reference: Ref) -> None:
    """Every step taken on a request: when, who, what."""
    with _Session(ctx) as sess:
        for e in sess.requests.history(reference):
            detail = ", ".join(f"{k}={v}" for k, v in e.detail.items() if v not in (None, [], {}))
            typer.echo(f"{e.at:%Y-%m-%d %H:%M}  {e.actor}  {e.kind}  {detail}")


# --- searching, collecting, reviewing ---------------------------------------------------------------------


@app.command("search")
def search_(ctx: typer.Context, reference: Ref,
            query: Annotated[str, typer.Argument(help='Words, "a phrase", OR, -excluded ("" for filters only).')],
            sender: Annotated[Optional[str], typer.Option("--from")] = None,
            to: Annotated[Optional[str], typer.Option("--to")] = None,
            person: Annotated[Optional[str], typer.Option("--person")] = None,
            since: Annotated[DateOpt, typer.Option("--since", formats=_DATE)] = None,
            until: Annotated[DateOpt, typer.Option("--until", formats=_DATE)] = None,
            by: By = None) -> None:
    """Add a search to a request. It places a legal hold on every record it matches, now and later."""
    criteria = SearchCriteria(query=query, sender=sender, recipient=to, person=person, since=_day(since),
                              until=_day(until))
    with _Session(ctx) as sess:
        added = sess.requests.add_search(reference, criteria, actor=_who(by))
        typer.echo(f"Search {added.position} added ({criteria.describe()}); legal hold {added.hold_name!r} placed. "
                   "Run `collect` to gather the records.")


@app.command("add")
def add(ctx: typer.Context, reference: Ref,
        record: Annotated[list[int], typer.Argument(help="Record ids to add by hand (they are held by id).")],
        by: By = None) -> None:
    """Add records to a request by hand."""
    with _Session(ctx) as sess:
        new = sess.requests.add_records(reference, record, actor=_who(by))
        typer.echo(f"Added {len(new)} record(s): {', '.join(map(str, new)) or 'none new'}.")


@app.command()
def collect(ctx: typer.Context, reference: Ref, by: By = None) -> None:
    """Run the request's searches and collect the records found."""
    with _Session(ctx) as sess:
        result = sess.requests.collect(reference, actor=_who(by))
        for position, n in result.by_search.items():
            typer.echo(f"  search {position}: {n} record(s)")
        typer.echo(f"Collected {len(result.new)} new record(s); {result.already} were already collected.")


@app.command()
def records(ctx: typer.Context, reference: Ref,
            scope: Annotated[Optional[str], typer.Option("--scope", help="pending, in or out.")] = None) -> None:
    """The records collected for a request, with the review of each."""
    with _Session(ctx) as sess:
        found = sess.requests.records(reference, scope=scope)
        for rec in found:
            r = sess.archive.get(rec.record_id)
            extra = f"  withheld: {rec.withheld}" if rec.withheld else ""
            note = f"  note: {rec.note}" if rec.note else ""
            typer.echo(f"#{rec.record_id}  {rec.scope:7}  {r.dated_at:%Y-%m-%d}  {r.sender}  {r.subject}  "
                       f"({rec.found_by}){extra}{note}")
    if not found:
        typer.echo("No records.")


@app.command()
def review(ctx: typer.Context, reference: Ref,
           record: Annotated[list[int], typer.Argument(help="Record ids.")],
           scope: Annotated[str, typer.Option("--scope", help="in or out.")],
           note: Note = None,
           withhold: Annotated[Optional[str], typer.Option("--withhold", help="Withhold the whole record on this "
                                                           "ground, e.g. 's42 legal professional privilege'.")] = None,
           by: By = None) -> None:
    """Mark records in or out of scope (with a note); optionally withhold an in-scope record whole."""
    with _Session(ctx) as sess:
        done = sess.requests.review(reference, record, scope=scope, actor=_who(by), note=note, withhold=withhold)
        where = "in scope" if scope == "in" else "out of scope"
        typer.echo(f"Marked {len(done)} record(s) {where}" + (f", withheld: {withhold}" if withhold else "") + ".")


# --- redaction --------------------------------------------------------------------------------------------


@app.command()
def propose(ctx: typer.Context, reference: Ref,
            record: Annotated[Optional[list[int]], typer.Option("--record", help="Only these records.")] = None,
            again: Annotated[bool, typer.Option("--again", help="Replace the undecided proposals.")] = False,
            policy: PolicyOption = None, by: By = None) -> None:
    """Propose redactions of other people's personal data in the records in scope."""
    pack = load_pack(policy)
    with _Session(ctx) as sess:
        made, skipped = Redactions(sess.archive, pack).propose(reference, actor=_who(by), record_ids=record,
                                                               again=again)
        for record_id, n in made.items():
            typer.echo(f"#{record_id}: {n} proposal(s)")
        for record_id, why in skipped.items():
            typer.echo(f"#{record_id}: skipped ({why})")
        typer.echo(f"{sum(made.values())} proposal(s) for {len(made)} record(s). Review them with `redactions`.")


@app.command()
def redactions(ctx: typer.Context, reference: Ref,
               record: Annotated[Optional[int], typer.Option("--record")] = None,
               undecided: Annotated[bool, typer.Option("--undecided", help="Only those not yet decided.")] = False
               ) -> None:
    """List redaction proposals: id, record, kind, the words, the proposal, its ground and reason, the decision."""
    with _Session(ctx) as sess:
        found = Redactions(sess.archive).list_redactions(reference, record_id=record, undecided=undecided)
        for r in found:
            decided = f"decided: {r.decision} by {r.decided_by}" if r.decision else "UNDECIDED"
            typer.echo(f"{r.id:>5}  #{r.record_id}  {r.kind:17}  {r.text!r}  proposed {r.proposed} "
                       f"[{r.ground}]: {r.reason}  -> {decided}")
        typer.echo(f"{len(found)} proposal(s).")


def _decide(ctx: typer.Context, reference: str, ids: list[int] | None, record: int | None, note: str | None,
            by: str | None, accept: bool) -> None:
    with _Session(ctx) as sess:
        done = Redactions(sess.archive).decide(reference, accept=accept, actor=_who(by), ids=ids or (),
                                               record_id=record, note=note)
        redacted = sum(1 for r in done if r.decision == "redact")
        typer.echo(f"{'Accepted' if accept else 'Rejected'} {len(done)} proposal(s): {redacted} will be redacted, "
                   f"{len(done) - redacted} kept.")


IdsArg = Annotated[Optional[list[int]], typer.Argument(help="Proposal ids (default: every undecided one).")]
RecordOpt = Annotated[Optional[int], typer.Option("--record", help="Every undecided proposal of this record.")]


@app.command()
def accept(ctx: typer.Context, reference: Ref, ids: IdsArg = None, record: RecordOpt = None, note: Note = None,
           by: By = None) -> None:
    """Accept proposals as made. FOI/EIR redactions need --note: the legitimate-interests test's outcome."""
    _decide(ctx, reference, ids, record, note, by, accept=True)


@app.command()
def reject(ctx: typer.Context, reference: Ref, ids: IdsArg = None, record: RecordOpt = None, note: Note = None,
           by: By = None) -> None:
    """Reject proposals: a proposed redaction is kept, a proposed keep is redacted."""
    _decide(ctx, reference, ids, record, note, by, accept=False)


@app.command()
def redact(ctx: typer.Context, reference: Ref, record: Annotated[int, typer.Argument(help="Record id.")],
           words: Annotated[str, typer.Argument(help="The words to redact (every occurrence, any case).")],
           ground: Annotated[Optional[str], typer.Option("--ground", help="The ground (default: the request's "
                                                         "personal-data ground), e.g. 's43(2)'.")] = None,
           note: Note = None, by: By = None) -> None:
    """Redact words the proposals missed."""
    with _Session(ctx) as sess:
        added = Redactions(sess.archive).add(reference, record, words, actor=_who(by), ground=ground, note=note)
        typer.echo(f"Redacted {len(added)} occurrence(s) in record {record} [{added[0].ground}].")


@app.command()
def show(ctx: typer.Context, reference: Ref, record: Annotated[int, typer.Argument(help="Record id.")],
         draft: Annotated[bool, typer.Option("--draft", help="Apply undecided proposals as made.")] = False) -> None:
    """Print a record as it would be disclosed, with its redactions applied."""
    with _Session(ctx) as sess:
        typer.echo(Redactions(sess.archive).redacted(reference, record, draft=draft).text)


# --- export, close, release -------------------------------------------------------------------------------


@app.command()
def export(ctx: typer.Context, reference: Ref,
           out: Annotated[Path, typer.Option("--out", help="Folder to write the PDF and zip into.")],
           draft: Annotated[bool, typer.Option("--draft", help="Export before everything is decided (marked "
                                               "DRAFT).")] = False,
           council: Annotated[Optional[str], typer.Option("--council", help="The council's name on the cover "
                                                          "(default: from the policy pack).")] = None,
           policy: PolicyOption = None, by: By = None, today: Today = None) -> None:
    """Write the response bundle: a PDF with a cover page, and a zip of the redacted records with schedule.csv."""
    pack = load_pack(policy)
    with _Session(ctx) as sess:
        b = export_bundle(sess.archive, reference, out, actor=_who(by), pack=pack, council=council, draft=draft,
                          today=_day(today))
        typer.echo(f"Wrote {b.pdf} and {b.zip}{' (DRAFT)' if b.draft else ''}: {len(b.disclosed)} record(s) "
                   f"disclosed with {b.redactions} redaction(s), {len(b.withheld)} withheld whole, "
                   f"{len(b.not_held)} not held.")
        typer.echo(f"  PDF SHA-256 {b.pdf_sha256}")


@app.command()
def close(ctx: typer.Context, reference: Ref,
          outcome: Annotated[str, typer.Option("--outcome", help=", ".join(OUTCOMES) + ".")],
          on: Annotated[datetime, typer.Option("--on", formats=_DATE, help="The day it was answered.")],
          review_until: Annotated[DateOpt, typer.Option("--review-until", formats=_DATE, help="Keep the holds "
                                                        "until this day (review or appeal period).")] = None,
          note: Note = None, by: By = None, today: Today = None) -> None:
    """Close a request with its outcome. Its legal holds stay until `release`."""
    with _Session(ctx) as sess:
        st = sess.requests.close(reference, outcome=outcome, on=on.date(), actor=_who(by), note=note,
                                 review_until=_day(review_until), today=_day(today))
        _print_status(st)


@app.command()
def release(ctx: typer.Context, reference: Ref,
            reason: Annotated[str, typer.Option("--reason", help="Why the records need no longer be kept.")],
            by: By = None, today: Today = None) -> None:
    """Release a closed request's legal holds (after any review period)."""
    with _Session(ctx) as sess:
        names = sess.requests.release_holds(reference, actor=_who(by), reason=reason, today=_day(today))
        typer.echo(f"Released {len(names)} hold(s): {', '.join(names)}.")
