"""Readable terminal output of a report: verdict, then each finding with its highlighted evidence."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from councilguard.model import Report

STYLE = {"ok": "bold green", "advice": "bold cyan", "warn": "bold yellow", "block": "bold red"}
HEADLINE = {
    "ok": "OK: nothing in this draft breaches the policy.",
    "advice": "ADVICE: fine to post, with a suggestion.",
    "warn": "WARN: this draft would likely breach the policy. Reconsider or change it.",
    "block": "BLOCK: this must not be published or sent as it is.",
}


def render_report(report: Report, text: str, pack, *, explain: bool = False, console: Console | None = None) -> None:
    console = console or Console(highlight=False, soft_wrap=False)
    console.print(Text(HEADLINE[report.verdict], style=STYLE[report.verdict]))
    for finding in report.findings:
        rule = pack.rule(finding.rule)
        body = Text()
        body.append(f"{rule.title}\n", style="bold")
        body.append(f"Clause {finding.clause}: ", style="dim")
        body.append(f"\u201c{rule.clause_text}\u201d\n\n", style="italic")
        spans = [(e.start, e.end) for e in finding.evidence if e.field == "text"]
        if spans:
            body.append_text(_highlight(text, spans, marks=not console.is_terminal))
            body.append("\n\n")
        for e in finding.evidence:
            if e.field != "text":
                body.append(f"In the {e.field}: ", style="dim")
                body.append(e.text + "\n\n", style="reverse")
        body.append("Why: ", style="bold")
        body.append(finding.explanation + "\n")
        body.append("Remedy: ", style="bold")
        body.append(finding.remedy)
        for fix in finding.fixes:
            body.append(f"\nFix available: {fix.label}", style="green")
        body.append(f"\nMore: {finding.docs}", style="dim")
        if console.is_terminal:
            title = f"[{STYLE[finding.severity.value]}]{finding.severity.value.upper()}[/] {finding.rule}"
            console.print(Panel(body, title=title, title_align="left", expand=True))
        else:  # piped or redirected: plain lines that tools like grep can read whole
            console.print(Text(f"\n{finding.severity.value.upper()} {finding.rule}", style=STYLE[finding.severity.value]))
            console.print(body, soft_wrap=True)
    for note in report.notes:
        console.print(Text(f"Note: {note}", style="magenta"))
    if explain:
        for line in report.trace:
            console.print(Text(f"  {line}", style="dim"))


def _highlight(text: str, spans: list[tuple[int, int]], context: int = 80, marks: bool = False) -> Text:
    """The text around the evidence, with the evidence marked (in colour, or with » « when piped)."""
    spans = sorted(spans)
    lo = max(0, spans[0][0] - context)
    hi = min(len(text), spans[-1][1] + context)
    out = Text("…" if lo else "")
    pos = lo
    for start, end in spans:
        if start < pos:
            start = pos
        if end <= start:
            continue
        out.append(text[pos:start])
        out.append(f"\u00bb{text[start:end]}\u00ab" if marks else text[start:end], style="bold black on yellow")
        pos = end
    out.append(text[pos:hi])
    if hi < len(text):
        out.append("…")
    return out
