"""The command line: check, rules, explain, eval, archive, request, relay. One module per command group."""

from __future__ import annotations

import typer

from councilguard.cli import archive as _archive
from councilguard.cli import check as _check
from councilguard.cli import eval as _eval
from councilguard.cli import relay as _relay
from councilguard.cli import requests as _requests
from councilguard.cli import serve as _serve
from councilguard.cli import rules as _rules

app = typer.Typer(
    name="councilguard",
    help="Check posts and e-mails against your council's social media and e-mail policy, before they go out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command("check")(_check.check)
app.command("rules")(_rules.rules)
app.command("explain")(_rules.explain)
app.command("eval")(_eval.eval_)
app.add_typer(_archive.app, name="archive")
app.add_typer(_requests.app, name="request")
app.add_typer(_relay.app, name="relay")
app.command("serve")(_serve.serve)


def main() -> None:
    app()
