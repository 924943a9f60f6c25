"""The governance evidence pack: a PDF and a zip of CSVs behind the digital and data compliance assertion
of the annual governance return, split plainly into what councilguard shows from its records and what the
Clerk attests with a link.

The PDF opens with a summary page (shown / attested, one line each), then a page each for e-mail
addresses, the policy and its acknowledgements, records retention, the information-request log and the
attestations. The zip holds the same PDF and one CSV per table, for the internal auditor's spreadsheet.
Each export is written to the desk's audit log with the files' SHA-256.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timezone

from sqlalchemy.orm import Session, sessionmaker

from councilguard.policy import Pack
from councilguard.records.archive import Archive
from councilguard.records.db import write_session
from councilguard.records.pdf_text import Para, TextPdf
from councilguard.records.requests import KIND_LABELS, OUTCOMES
from councilguard.workflow.attestations import TOPICS, Attestations
from councilguard.workflow.audit import AuditWriter
from councilguard.workflow.governance_evidence import KIND_LABELS as PEOPLE, GovernanceEvidence, gather
from councilguard.workflow.policy_versions import PolicyVersions, Reader

__all__ = ["GovernancePack", "GovernancePacks", "attested_lines", "render_pdf", "render_zip", "shown_lines"]

INTRO = ("Evidence for the digital and data compliance assertion of the annual governance statement. Part A is "
         "what councilguard shows from the council's own records. Part B is what it cannot check for itself, "
         "as the Clerk attests it, with a link to the evidence.")


@dataclass(frozen=True)
class GovernancePack:
    name: str
    pdf: bytes
    zip: bytes
    pdf_sha256: str
    zip_sha256: str
    evidence: GovernanceEvidence


class GovernancePacks:
    def __init__(self, factory: sessionmaker[Session], archive: Archive, versions: PolicyVersions,
                 attestations: Attestations, *, audit: AuditWriter):
        self._factory = factory
        self._archive = archive
        self._versions = versions
        self._attestations = attestations
        self._audit = audit

    def gather(self, pack: Pack, readers: list[Reader], *, year_end: int, prepared_by: str,
               today: date | None = None) -> GovernanceEvidence:
        return gather(self._archive, pack, self._versions, self._attestations, readers, year_end=year_end,
                      prepared_by=prepared_by, today=today)

    def export(self, pack: Pack, actor: str, readers: list[Reader], *, year_end: int, today: date | None = None,
               created: datetime | None = None) -> GovernancePack:
        """Build the PDF and the zip for ``year_end`` and log the export (who, when, the hashes)."""
        evidence = self.gather(pack, readers, year_end=year_end, prepared_by=actor, today=today)
        created = created or datetime.now(timezone.utc)
        name = f"governance-evidence-{evidence.year.short}"
        pdf = render_pdf(evidence, created=created)
        bundle = render_zip(evidence, pdf, name, created=created)
        made = GovernancePack(name, pdf, bundle, hashlib.sha256(pdf).hexdigest(), hashlib.sha256(bundle).hexdigest(),
                              evidence)
        with write_session(self._factory) as s:
            self._audit(s, actor=actor, action="governance-pack-exported", target_kind="governance-pack",
                        target_id=evidence.year.short, pdf_sha256=made.pdf_sha256, zip_sha256=made.zip_sha256)
        return made


# --- the PDF ----------------------------------------------------------------------------------------


def render_pdf(e: GovernanceEvidence, *, created: datetime | None = None) -> bytes:
    pdf = TextPdf(title=f"{e.council}: digital and data compliance evidence, {e.year.label}",
                  footer=f"{e.council} - governance evidence, {e.year.label}")
    pdf.section([
        Para(e.council, "title"), Para(f"Digital and data compliance evidence, {e.year.label}", "heading"),
        Para(INTRO), Para(f"Prepared on {_d(e.prepared_on)} by {e.prepared_by}, from the records as they stood that "
                          "day.", "small"),
        Para("A. What councilguard shows", "heading"), Para("\n".join(f"- {line}" for line in shown_lines(e))),
        Para("B. What the Clerk attests", "heading"), Para("\n".join(f"- {line}" for line in attested_lines(e)))])
    pdf.section(_addresses_section(e))
    pdf.section(_policy_section(e))
    pdf.section(_retention_section(e))
    pdf.section(_requests_section(e))
    pdf.section(_attestation_section(e))
    return pdf.to_bytes(created=created)


def shown_lines(e: GovernanceEvidence) -> list[str]:
    generic = e.generic_on_domain
    used = [a for a in generic if a.sent]
    councillors = e.councillors
    lines = [
        (f"Generic (role) addresses on the council's own domain ({', '.join(e.domains)}): "
         + (", ".join(a.address for a in generic) if generic else "none in the roster"))
        + (f"; {len(used)} of them sent mail in the year." if generic else "."),
        f"Councillors with an address on the council's domain: {sum(a.on_domain for a in councillors)} of "
        f"{len(councillors)}; {sum(a.sent > 0 and a.on_domain for a in councillors)} sent mail from it in the year.",
        f"Messages archived in the year from roster members' personal addresses: {e.personal_messages}.",
        _policy_line(e)]
    ack = e.acknowledgements
    total = len(ack.acknowledged) + len(ack.missing)
    lines.append(f"Councillors and staff with accounts who have acknowledged version {ack.version.version} of the "
                 f"policy: {len(ack.acknowledged)} of {total}.")
    r = e.retention
    source = (f"version {r.schedule_version} saved {_d(r.saved_at)} by {r.saved_by}" if r.schedule_version
              else "councilguard's default schedule")
    lines.append(f"Records retention schedule in force: {len(r.classes)} classes ({source}); {r.deletions} "
                 f"lawful deletion(s) in the year; {len(r.holds)} legal hold(s) in force.")
    closed = [st for st in e.requests if st.request.closed]
    lines.append(f"Information requests received in the year: {len(e.requests)}; answered on time: "
                 f"{sum(bool(st.on_time) for st in closed)} of {len(closed)} answered; "
                 f"{len(e.requests) - len(closed)} still open.")
    return lines


def _policy_line(e: GovernanceEvidence) -> str:
    p = e.policy
    if p.status == "adopted":
        line = f"IT and social media policy: version {p.version}, adopted {_d(p.adopted_on)} (minute {p.minute_ref})"
    else:
        line = f"IT and social media policy: version {p.version} is a draft, not yet adopted"
    review = f"next review {_d(p.review_on)}" if p.review_on else "no review date recorded"
    overdue = " (overdue)" if p.review_overdue(e.prepared_on) else ""
    return f"{line}; {review}{overdue}."


def attested_lines(e: GovernanceEvidence) -> list[str]:
    lines = []
    for topic_id, topic in TOPICS.items():
        a = e.attestations.get(topic_id)
        lines.append(f"{topic.label}: " + (f"attested {_d(a.attested_on)} by {a.recorded_by}; evidence: {a.link}"
                                           if a else "NOT ATTESTED: the Clerk has not recorded this yet."))
    return lines


def _addresses_section(e: GovernanceEvidence) -> list[Para]:
    rows = [f"{a.address}: {a.person} ({PEOPLE.get(a.kind, a.kind)}{', ' + a.role if a.role else ''}); "
            + ("on the council's domain" if a.on_domain else "NOT on the council's domain")
            + ("; generic" if a.generic else "") + ("; personal address recorded in the roster" if a.personal else "")
            + f"; {a.sent} message(s) archived from it in the year" for a in e.addresses]
    return [Para("1. E-mail addresses", "heading"),
            Para("Every address in the council's roster (council.yaml), whether it is on the council's own domain, "
                 "whether it names a role rather than a person, and how many messages archived by councilguard "
                 "were sent from it in the year. Mail that does not pass through councilguard is not counted.",
                 "small"),
            Para("\n".join(rows) or "The roster lists no addresses.")]


def _policy_section(e: GovernanceEvidence) -> list[Para]:
    history = []
    for v in e.policy_history:
        adopted = (f"adopted {_d(v.adopted_on)}, minute {v.minute_ref}" if v.status == "adopted" else "draft")
        review = f"; next review {_d(v.review_on)}" if v.review_on else ""
        installed = " (in use now)" if v.installed else ""
        recorded = f"; recorded by {v.updated_by}" if v.updated_by else "; not yet recorded by the Clerk"
        history.append(f"Version {v.version}{installed}: {adopted}{review}{recorded}")
    ack = e.acknowledgements
    done = [f"{r.name} ({r.role}), {_d(at)}" for r, at in ack.acknowledged]
    missing = [f"{r.name} ({r.role})" for r in ack.missing]
    return [Para("2. The IT and social media policy", "heading"), Para(_policy_line(e)),
            Para("Versions", "heading"), Para("\n".join(history)),
            Para(f"Who has acknowledged version {ack.version.version}", "heading"),
            Para("\n".join(done) or "No one yet."),
            Para("Not yet acknowledged", "heading"), Para("\n".join(missing) or "Everyone has.")]


def _retention_section(e: GovernanceEvidence) -> list[Para]:
    r = e.retention
    classes = [f"{c['title']} ({c['class']}): kept {c['keep']}. Source: {c['source']}" for c in r.classes]
    return [Para("3. Records retention", "heading"),
            Para(f"{r.deletions} record(s) had their content deleted under the schedule in the year, each leaving a "
                 "tombstone on the archive's tamper-evident chain. Legal holds in force: "
                 + (", ".join(r.holds) if r.holds else "none") + "."),
            Para("The schedule in force", "heading"), Para("\n".join(classes))]


def _requests_section(e: GovernanceEvidence) -> list[Para]:
    rows = []
    for st in e.requests:
        r = st.request
        answered = (f"answered {_d(r.closed_on)}, {OUTCOMES.get(r.outcome or '', r.outcome)}"
                    + ("" if st.on_time is None else (", on time" if st.on_time else ", LATE"))
                    if r.closed else f"open ({st.state})")
        rows.append(f"{r.reference}: {KIND_LABELS[r.kind]}, received {_d(r.received)}, due {_d(st.due)}; {answered}")
    return [Para("4. Information requests", "heading"),
            Para("Freedom of Information, Environmental Information and subject access requests received in the "
                 "year, from councilguard's request log.", "small"),
            Para("\n".join(rows) or "No requests were received in the year.")]


def _attestation_section(e: GovernanceEvidence) -> list[Para]:
    paras = [Para("5. What the Clerk attests", "heading"),
             Para("councilguard cannot check these for itself. Each is the Clerk's statement, with the date it was "
                  "checked and a link anyone can follow.", "small")]
    for topic_id, topic in TOPICS.items():
        a = e.attestations.get(topic_id)
        paras.append(Para(topic.label, "heading"))
        paras.append(Para(f"{a.statement}\nChecked on {_d(a.attested_on)}; recorded by {a.recorded_by}.\n"
                          f"Evidence: {a.link}" if a else f"Not attested. The Clerk should check {topic.link_hint} "
                          "and record it at the desk."))
    return paras


# --- the zip ----------------------------------------------------------------------------------------


def render_zip(e: GovernanceEvidence, pdf: bytes, name: str, *, created: datetime | None = None) -> bytes:
    when = (created or datetime.now(timezone.utc)).astimezone(timezone.utc).timetuple()[:6]
    tables = {
        "addresses.csv": (["address", "person", "kind", "role", "on_council_domain", "generic", "personal",
                           "messages_in_year"],
                          [[a.address, a.person, a.kind, a.role or "", a.on_domain, a.generic, a.personal, a.sent]
                           for a in e.addresses]),
        "policy_versions.csv": (["version", "in_use", "status", "adopted_on", "minute", "next_review", "recorded_by"],
                                [[v.version, v.installed, v.status, v.adopted_on or "", v.minute_ref or "",
                                  v.review_on or "", v.updated_by or ""] for v in e.policy_history]),
        "acknowledgements.csv": (["version", "name", "role", "acknowledged_at"],
                                 [[e.acknowledgements.version.version, r.name, r.role, at.isoformat()]
                                  for r, at in e.acknowledgements.acknowledged]
                                 + [[e.acknowledgements.version.version, r.name, r.role, ""]
                                    for r in e.acknowledgements.missing]),
        "retention_schedule.csv": (["class", "title", "keep", "source"],
                                   [[c["class"], c["title"], c["keep"], c["source"]] for c in e.retention.classes]),
        "information_requests.csv": (["reference", "kind", "received", "due", "closed_on", "outcome", "on_time",
                                      "state"],
                                     [[st.request.reference, st.request.kind.value, st.request.received,
                                       st.due or "", st.request.closed_on or "", st.request.outcome or "",
                                       "" if st.on_time is None else st.on_time, st.state] for st in e.requests]),
        "attestations.csv": (["topic", "statement", "link", "attested_on", "recorded_by"],
                             [[t, a.statement, a.link, a.attested_on, a.recorded_by] if a else [t, "", "", "", ""]
                              for t, a in e.attestations.items()]),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        def put(path: str, data: bytes) -> None:
            z.writestr(zipfile.ZipInfo(f"{name}/{path}", date_time=when), data, compress_type=zipfile.ZIP_DEFLATED)

        put("evidence.pdf", pdf)
        summary = [INTRO, "", "A. What councilguard shows", *shown_lines(e), "", "B. What the Clerk attests",
                   *attested_lines(e)]
        put("summary.txt", ("\n".join(summary) + "\n").encode("utf-8"))
        for filename, (header, rows) in tables.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows([[_cell(v) for v in row] for row in rows])
            put(filename, text.getvalue().encode("utf-8-sig"))
    return buffer.getvalue()


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula; booleans as yes/no."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _d(day: date | datetime | None) -> str:
    return "-" if day is None else f"{day.day} {day:%B %Y}"
