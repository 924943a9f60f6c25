"""`councilguard rules` and `councilguard explain RULE`: what the pack checks, and why."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table

from councilguard.cli.common import PolicyOption, fail, load_pack
from councilguard.errors import UnknownRuleError


def rules(policy: PolicyOption = None) -> None:
    """List the pack's rules: id, severity, clause and title."""
    pack = load_pack(policy)
    table = Table(title=f"{pack.policy.pack.name} ({pack.policy.pack.status})")
    for col in ("rule", "severity", "clause", "what it is about"):
        table.add_column(col)
    for r in pack.rules:
        table.add_row(r.id, r.severity.value, r.clause, r.title)
    Console().print(table)


def explain(rule: Annotated[str, typer.Argument(help="A rule id, e.g. abuse-councillor.")],
            policy: PolicyOption = None) -> None:
    """Show a rule's page: what it checks, why it matters, examples, remedy."""
    pack = load_pack(policy)
    try:
        r = pack.rule(rule)
    except UnknownRuleError as exc:
        fail(str(exc))
    page = _rule_page(pack, r.id)
    if page is None:
        page = (f"# {r.id}: {r.title}\n\n**Clause {r.clause}**: \u201c{r.clause_text}\u201d\n\n"
                f"**Severity:** {r.severity.value}\n\n## Why\n{r.explanation}\n\n## Remedy\n{r.remedy}\n")
    Console().print(Markdown(page))


def _rule_page(pack, rule_id: str) -> str | None:
    """The rule's docs page, shipped in the pack or found in the source tree's docs/rules."""
    candidates = [pack.root / "docs" / f"{rule_id}.md"]
    if pack.id == "croxley-green":  # the project's own docs/rules pages describe the bundled Croxley pack
        candidates.append(Path(__file__).resolve().parents[3] / "docs" / "rules" / f"{rule_id}.md")
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None
