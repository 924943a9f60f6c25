"""The referral pack for the Monitoring Officer: one PDF with everything needed to assess a complaint.

It says who refers what about whom: the council, the councillor concerned, the words complained of and
where they were published, the policy clauses they may breach (from the pack's rules), what councilguard's
checker finds in the text (an aid, not a decision), every piece of evidence with its date, link and hash,
the Clerk's notes and the incident's history, and, plainly, that the parish council does not decide
sanctions. Screenshots follow as appendix pages, drawn at a legible size.

Preparing a pack is recorded on the incident and in the desk's audit log, with the PDF's SHA-256, so it
can be shown later which pack was sent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone

from councilguard.engine import Checker
from councilguard.model import Author, Message, Report
from councilguard.policy import Pack
from councilguard.records.archive import Archive
from councilguard.records.archive_errors import ArchiveError
from councilguard.records.pdf_text import Para, TextPdf
from councilguard.workflow.incident_model import Evidence, Incident
from councilguard.workflow.incidents import Incidents
from councilguard.workflow.pdf_images import Placement, image_page, place_images
from councilguard.workflow.sanctions import NOT_OURS, Sanctions

__all__ = ["Referral", "findings_on", "referral_pack"]

CHECKER_CAVEAT = ("councilguard's checker reads the words against the council's social media and e-mail policy. "
                  "It is an aid to the Clerk, not a finding that the Code of Conduct was breached: that is for "
                  "the Monitoring Officer and the principal authority's standards arrangements to decide.")
UNDRAWABLE = "This screenshot cannot be drawn here; the register keeps the file itself, with the hash above."


@dataclass(frozen=True)
class Referral:
    pdf: bytes
    sha256: str
    filename: str
    report: Report


def message_of(incident: Incident, archive: Archive | None = None) -> Message:
    """The incident's words as the checker reads them: an e-mail with its envelope, a post or a comment."""
    author = Author(name=incident.councillor, role="councillor") if incident.councillor else Author()
    if incident.source_kind == "held-email":
        record = None
        if archive is not None and incident.source_ref and incident.source_ref.isdigit():
            try:
                record = archive.get(int(incident.source_ref))
            except ArchiveError:
                record = None
        if record is not None:
            return Message(kind="email", channel="email", text=incident.text, subject=record.subject or None,
                           from_=record.sender, to=list(record.to), cc=list(record.cc), author=author,
                           account="councillor")
        return Message(kind="email", channel="email", text=incident.text, author=author)
    kind = "comment" if incident.source_kind == "remark-report" else "post"
    return Message(kind=kind, channel=(incident.platform or "unknown").lower(), text=incident.text, author=author)


def findings_on(checker: Checker, incident: Incident, archive: Archive | None = None) -> Report:
    """What the checker finds in the incident's words today."""
    return checker.check(message_of(incident, archive))


def referral_pack(incidents: Incidents, incident_id: int, checker: Checker, *, prepared_by: str,
                  archive: Archive | None = None, today: date | None = None,
                  created: datetime | None = None) -> Referral:
    """Build the referral PDF for an incident and record that it was prepared (who, when, its SHA-256)."""
    incident = incidents.get(incident_id)
    today, created = today or date.today(), created or datetime.now(timezone.utc)
    pack = checker.pack
    report = findings_on(checker, incident, archive)
    shots = incidents.screenshots(incident_id)
    pdf = TextPdf(title=f"Referral to the Monitoring Officer: {incident.reference}",
                  footer=f"{pack.council.name} - {incident.reference} - referral to the Monitoring Officer")
    pdf.section(_cover(incident, pack, report, shots, prepared_by, today))
    placements = []
    for n, (item, image) in enumerate(shots, 1):
        picture = image_page(image)
        page = len(pdf.pages)
        pdf.section(
            [Para(f"Appendix {n}: screenshot (evidence {_number(incident, item)})", "heading"),
             Para(_short(item.description, 300)),
             Para(f"{item.media_type}, {item.size} bytes, SHA-256 {item.sha256}", "small")]
            + ([] if picture else [Para(UNDRAWABLE)]))
        if picture is not None:
            placements.append(Placement(page, picture))
    data = place_images(pdf.to_bytes(created=created), placements, title=pdf.title)
    digest = hashlib.sha256(data).hexdigest()
    incidents.record_pack(incident_id, prepared_by, sha256=digest, findings=sorted(report.rules))
    return Referral(data, digest, f"{incident.reference}-referral.pdf", report)


def _cover(incident: Incident, pack: Pack, report: Report, shots: list[tuple[Evidence, bytes]], prepared_by: str,
           today: date) -> list[Para]:
    council = pack.council
    sanctions = Sanctions(pack)
    authority = sanctions.principal_authority or "the principal authority"
    officer = pack.council_file.proper_officer
    who = ", ".join(p for p in (officer.name, officer.title, council.name, officer.email) if p)
    paras = [Para("Referral to the Monitoring Officer", "title"),
             Para(f"{council.name}: incident {incident.reference}", "heading"),
             Para(f"To: the Monitoring Officer, {authority}\nFrom: {who}\n"
                  f"Prepared: {_d(today)} by {prepared_by}\n{_status_line(incident)}"),
             Para("The complaint in brief", "heading"),
             Para(f"{incident.summary}\nCouncillor concerned: {incident.councillor or 'not yet named'}\n"
                  f"Source: {incident.source_label.lower()}{_source_ref(incident)}"
                  + (f"\nPublished or sent: {_d(incident.published_on)}" if incident.published_on else "")
                  + (f"\nWhere: {incident.platform}" if incident.platform else "")
                  + (f"\nLink: {incident.link}" if incident.link else "")),
             Para("The words complained of", "heading"), Para(incident.text)]
    paras += _clauses(incident, pack, report)
    paras += [Para("What councilguard's checker finds in these words", "heading"), Para(CHECKER_CAVEAT, "small")]
    if report.findings:
        for f in report.findings:
            rule = pack.rule(f.rule)
            quoted = "; ".join(f'"{e.text}"' for e in f.evidence) or "(the whole text)"
            paras.append(Para(f"{rule.title} ({f.severity.value}, clause {f.clause}): {f.explanation}\n"
                              f"Words: {quoted}"))
    else:
        paras.append(Para("The checker finds nothing in these words that the policy's rules describe. The Clerk's "
                          "reasons for the referral are in the notes below."))
    paras += [Para("The evidence", "heading")]
    appendix = {item.id: n for n, (item, _) in enumerate(shots, 1)}
    for n, item in enumerate(incident.evidence, 1):
        paras.append(Para(_evidence_text(n, item, appendix.get(item.id))))
    notes = incident.notes
    paras.append(Para("The Clerk's notes", "heading"))
    paras += [Para(f"{_d(e.at)}, {e.actor} ({e.kind.replace('-', ' ')}): {e.note}") for e in notes] or [
        Para("No notes.")]
    paras += [Para("The incident's history", "heading"),
              Para("\n".join(f"{e.at:%d %b %Y %H:%M} UTC  {e.kind.replace('-', ' ')} by {e.actor} (status after: "
                             f"{e.status.replace('-', ' ')})" for e in incident.events))]
    paras += [Para("Who decides", "heading"), Para(NOT_OURS)]
    if sanctions.options:
        paras.append(Para(f"The outcomes {council.name} records, as its policy pack lists them:"))
        paras += [Para(f"- {o.label}. Decided by: {o.decided_by}. Legal basis: {o.legal_basis}.", "small")
                  for o in sanctions.options]
    return paras


def _clauses(incident: Incident, pack: Pack, report: Report) -> list[Para]:
    rule_ids = list(incident.rules) + [r for r in sorted(report.rules) if r not in incident.rules]
    paras = [Para("The policy clauses", "heading"),
             Para(f"From {pack.policy.pack.name} (version {pack.policy.pack.version}). Clauses the Clerk linked "
                  "come first, then any the checker found.", "small")]
    if not rule_ids:
        return paras + [Para("No clause has been linked to this incident.")]
    for rule_id in rule_ids:
        rule = pack.rule(rule_id)
        who = "linked by the Clerk" if rule_id in incident.rules else "found by the checker"
        law = f"\nLaw: {'; '.join(rule.law)}" if rule.law else ""
        quoted = " ".join(rule.clause_text.split())
        paras.append(Para(f"{rule.title} (clause {rule.clause}; {who}):\n\"{quoted}\"{law}"))
    return paras


def _evidence_text(n: int, item: Evidence, appendix: int | None) -> str:
    head = f"{n}. {item.kind.capitalize()}: {item.description}"
    facts = [f"added {_d(item.added_at)} by {item.added_by}"]
    if item.captured_on:
        facts.insert(0, f"dated {_d(item.captured_on)}")
    lines = [head, "(" + "; ".join(facts) + ")"]
    if item.link:
        lines.append(f"Link: {item.link}")
    if item.sha256:
        lines.append(f"{item.media_type}, {item.size} bytes, SHA-256 {item.sha256}; shown in appendix {appendix}")
    if item.text and item.kind != "email":
        lines.append(f"Text: {item.text}")
    elif item.text:
        lines.append("The message as archived:\n" + item.text)
    return "\n".join(lines)


def _status_line(incident: Incident) -> str:
    if incident.referred_on:
        ref = f" (your reference {incident.referral_ref})" if incident.referral_ref else ""
        return f"Referred: {_d(incident.referred_on)}{ref}"
    return "Status: prepared for referral; not yet recorded as sent"


def _source_ref(incident: Incident) -> str:
    if incident.source_kind == "remark-report":
        return f" (report {incident.source_ref})"
    if incident.source_kind == "held-email":
        return f" (archive record {incident.source_ref})"
    return ""


def _number(incident: Incident, item: Evidence) -> int:
    return next(n for n, e in enumerate(incident.evidence, 1) if e.id == item.id)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _d(day: date | datetime | None) -> str:
    return "-" if day is None else f"{day.day} {day:%B %Y}"
