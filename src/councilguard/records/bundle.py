"""The response bundle for an information request: a PDF and a zip of the redacted records with a schedule.

WHY: what goes to the requester must show what was found, what was withheld and under which law, with
nothing the Clerk decided to withhold left readable. The PDF opens with a cover page (the request, its
dates and due date, what was withheld and why) and gives each disclosed record its own page(s); the zip
holds the same redacted texts as .txt files and ``schedule.csv``, one row per redaction and per record
withheld whole or no longer held, with its ground. Redactions read ``[REDACTED: <ground>]`` in both.

A final bundle is refused while anything is undecided (records awaiting review, records never looked
at for personal data, undecided proposals); a draft applies the proposals as made and says DRAFT on every
page. A final export is logged with the files' SHA-256, and each record disclosed or withheld gets a
chain entry.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from councilguard.policy import Pack
from councilguard.records.archive import Archive
from councilguard.records.archive_errors import ContentDeletedError
from councilguard.records.pdf_text import Para, TextPdf
from councilguard.records.redaction import GROUNDS, RedactedRecord, Redactions, words_for
from councilguard.records.request_store import RequestError, actor_of
from councilguard.records.requests import KIND_LABELS, OUTCOMES, Requests, RequestStatus

__all__ = ["SCHEDULE_COLUMNS", "Bundle", "export_bundle"]

SCHEDULE_COLUMNS = ["reference", "record", "date", "item", "action", "location", "what", "ground", "explanation"]


@dataclass(frozen=True)
class Bundle:
    pdf: Path
    zip: Path
    pdf_sha256: str
    zip_sha256: str
    disclosed: tuple[int, ...]
    withheld: tuple[int, ...]
    not_held: tuple[int, ...]
    redactions: int
    draft: bool


@dataclass
class _Parts:
    disclosed: list[tuple[int, datetime, RedactedRecord]]
    withheld: list[tuple[int, datetime, str]]
    not_held: list[tuple[int, datetime, str]]


def export_bundle(archive: Archive, reference: str, out_dir: str | Path, *, actor: str, pack: Pack | None = None,
                  council: str | None = None, draft: bool = False, today: date | None = None,
                  created: datetime | None = None) -> Bundle:
    """Write ``<reference>.pdf`` and ``<reference>.zip`` (``-DRAFT`` added for a draft) into ``out_dir``."""
    actor, today = actor_of(actor), today or date.today()
    created = created or datetime.now(timezone.utc)
    requests, redactions = Requests(archive), Redactions(archive, pack)
    status = requests.status(reference, today=today)
    request = status.request
    collected = requests.records(request.reference)
    if not draft:
        _check_ready(requests, redactions, request.reference, collected)
    parts = _Parts([], [], [])
    for rec in collected:
        if rec.scope == "out" or (rec.scope == "pending" and not draft):
            continue
        record = archive.get(rec.record_id)
        if rec.withheld:
            parts.withheld.append((rec.record_id, record.dated_at, rec.withheld))
            continue
        try:
            parts.disclosed.append((rec.record_id, record.dated_at,
                                    redactions.redacted(request.reference, rec.record_id, draft=draft)))
        except ContentDeletedError:
            tomb = record.tombstone
            parts.not_held.append((rec.record_id, record.dated_at,
                                   f"deleted on {_d(tomb.deleted_at)} under the retention schedule ({tomb.rule})"
                                   if tomb else "its content is no longer held"))
    for group in (parts.disclosed, parts.withheld, parts.not_held):
        group.sort(key=lambda p: (p[1], p[0]))
    council_name = council or (pack.council.name if pack is not None else "")
    cover = _cover(status, parts, council_name, actor, today, draft)
    rows = _schedule(request.reference, request.kind, parts)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", request.reference) + ("-DRAFT" if draft else "")
    footer = f"{request.reference}" + (" - DRAFT, not for sending" if draft else "")
    pdf = TextPdf(title=f"{KIND_LABELS[request.kind]} {request.reference}", footer=footer)
    pdf.section(cover)
    total = len(parts.disclosed)
    for n, (record_id, dated, red) in enumerate(parts.disclosed, 1):
        pdf.section([Para(f"Record {record_id} ({n} of {total})", "heading"),
                     Para(f"{len(red.applied)} redaction(s). Redactions read [REDACTED: ground].", "small"),
                     Para(red.text)])
    pdf_bytes = pdf.to_bytes(created=created)
    zip_bytes = _zip(name, cover, parts, rows, created)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{name}.pdf").write_bytes(pdf_bytes)
        (out / f"{name}.zip").write_bytes(zip_bytes)
    except OSError as exc:
        raise RequestError(f"cannot write the bundle into {out}: {exc.strerror or exc}") from None
    bundle = Bundle(out / f"{name}.pdf", out / f"{name}.zip", hashlib.sha256(pdf_bytes).hexdigest(),
                    hashlib.sha256(zip_bytes).hexdigest(), tuple(p[0] for p in parts.disclosed),
                    tuple(p[0] for p in parts.withheld), tuple(p[0] for p in parts.not_held),
                    sum(len(p[2].applied) for p in parts.disclosed), draft)
    _record_export(requests, request.reference, bundle, actor)
    return bundle


def _check_ready(requests: Requests, redactions: Redactions, reference: str, collected) -> None:
    problems = []
    pending = [r.record_id for r in collected if r.scope == "pending"]
    if pending:
        problems.append(f"{len(pending)} record(s) await review ({_ids(pending)})")
    disclosed = [r.record_id for r in collected if r.scope == "in" and not r.withheld]
    looked_at = _proposed_records(requests, reference)
    unseen = [i for i in disclosed if i not in looked_at]
    if unseen:
        problems.append(f"{len(unseen)} record(s) were never looked at for personal data ({_ids(unseen)}): "
                        "propose redactions for them")
    undecided = sorted({r.record_id for r in redactions.list_redactions(reference, undecided=True)
                        if r.record_id in disclosed})
    if undecided:
        problems.append(f"record(s) {_ids(undecided)} have undecided redaction proposals")
    if problems:
        raise RequestError(f"{reference} is not ready to send: " + "; ".join(problems)
                           + ". Finish these, or export a draft")


def _proposed_records(requests: Requests, reference: str) -> set[int]:
    seen: set[int] = set()
    for event in requests.history(reference):
        if event.kind == "redactions-proposed":
            seen |= {int(k) for k in event.detail.get("records", {})}
    return seen


def _ids(ids: list[int]) -> str:
    return ", ".join(map(str, ids[:10])) + (", ..." if len(ids) > 10 else "")


def _d(day: date | datetime | None) -> str:
    return "-" if day is None else f"{day.day} {day:%B %Y}"


def _cover(status: RequestStatus, parts: _Parts, council: str, actor: str, today: date, draft: bool) -> list[Para]:
    r = status.request
    paras = [Para(council or "Response to an information request", "title"),
             Para(f"{KIND_LABELS[r.kind]} {r.reference}", "heading")]
    if draft:
        paras.append(Para("DRAFT: redactions not yet decided by the Clerk. Not for sending.", "heading"))
    paras.append(Para(f"Requester: {r.requester.name}\nReceived: {_d(r.received)}\nDue: {_d(status.due)}"
                      + (f"\nAnswered: {_d(r.closed_on)} ({OUTCOMES.get(r.outcome or '', r.outcome)})"
                         if r.closed else "") + f"\nPrepared: {_d(today)} by {actor}"))
    if status.reading is not None:
        paras += [Para("How the due date was worked out", "heading"), Para("\n".join(status.reading.explanation))]
    paras += [Para("The request", "heading"), Para(r.wording), Para("What is enclosed", "heading"),
              Para(f"{len(parts.disclosed)} record(s), each starting on its own page, oldest first."
                   if parts.disclosed else "No records are disclosed.")]
    counts: dict[str, int] = {}
    for _, _, red in parts.disclosed:
        for item in red.applied:
            counts[item.ground] = counts.get(item.ground, 0) + 1
    lines = [f"{n} redaction(s) marked [REDACTED: {g}]: {_meaning(r.kind, g)}." for g, n in sorted(counts.items())]
    lines += [f"Record {i} ({_d(d)}) withheld in full: {g}." for i, d, g in parts.withheld]
    lines += [f"Record {i} ({_d(d)}) is not held: {why}." for i, d, why in parts.not_held]
    if any(not _fits_pdf(red.text) for _, _, red in parts.disclosed):
        paras.append(Para("Some characters cannot be shown in this document's standard font and print as '?'; "
                          "the text files in the zip file show them as written.", "small"))
    paras += [Para("What was withheld and why", "heading"),
              Para("\n".join(lines) if lines else "Nothing was withheld."),
              Para("Every redaction and withheld record is listed, with its ground, in schedule.csv in the zip "
                   "file that comes with this document.", "small")]
    return paras


def _fits_pdf(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _meaning(kind, ground: str) -> str:
    for g in GROUNDS.values():
        if g.cite == ground:
            return g.meaning
    return ground


def _schedule(reference: str, kind, parts: _Parts) -> list[dict[str, str]]:
    rows = []
    for record_id, dated, red in parts.disclosed:
        for item in red.applied:
            rows.append({"record": record_id, "date": f"{dated:%Y-%m-%d}", "item": item.id, "action": "redacted",
                         "location": red.document.where(item.start), "what": words_for(item.kind),
                         "ground": item.ground, "explanation": _meaning(kind, item.ground)})
    for record_id, dated, ground in parts.withheld:
        rows.append({"record": record_id, "date": f"{dated:%Y-%m-%d}", "item": "", "action": "withheld in full",
                     "location": "whole record", "what": "the whole record", "ground": ground, "explanation": ground})
    for record_id, dated, why in parts.not_held:
        rows.append({"record": record_id, "date": f"{dated:%Y-%m-%d}", "item": "", "action": "not held",
                     "location": "whole record", "what": "the whole record", "ground": "not held", "explanation": why})
    return [{"reference": reference, **{k: _cell(v) for k, v in row.items()}} for row in rows]


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _zip(name: str, cover: list[Para], parts: _Parts, rows: list[dict[str, str]], created: datetime) -> bytes:
    when = created.astimezone(timezone.utc).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        def put(path: str, data: str) -> None:
            z.writestr(zipfile.ZipInfo(f"{name}/{path}", date_time=when), data.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED)

        put("cover.txt", "\n\n".join(p.text for p in cover) + "\n")
        for n, (record_id, _, red) in enumerate(parts.disclosed, 1):
            put(f"records/{n:03d}-record-{record_id}.txt", red.text)
        csv_text = io.StringIO()
        writer = csv.DictWriter(csv_text, fieldnames=SCHEDULE_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        z.writestr(zipfile.ZipInfo(f"{name}/schedule.csv", date_time=when),
                   csv_text.getvalue().encode("utf-8-sig"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _record_export(requests: Requests, reference: str, bundle: Bundle, actor: str) -> None:
    store = requests.store
    with store.write() as s:
        row = store.load(s, reference)
        store.log(s, row, actor, "exported", draft=bundle.draft, pdf=bundle.pdf.name, pdf_sha256=bundle.pdf_sha256,
                  zip=bundle.zip.name, zip_sha256=bundle.zip_sha256, disclosed=list(bundle.disclosed),
                  withheld=list(bundle.withheld), not_held=list(bundle.not_held), redactions=bundle.redactions)
        if bundle.draft:
            return
        for record_id in bundle.disclosed:
            store.record_step(s, record_id, "request-disclosed", actor, request=row.reference,
                              bundle_sha256=bundle.pdf_sha256)
        for record_id in bundle.withheld:
            store.record_step(s, record_id, "request-withheld", actor, request=row.reference)
