"""The command line: check, rules, explain, eval, archive, request, relay. One module per command group.

A command's module is imported only when that command runs (or help lists it): ``councilguard check``
must start quickly, and the archive, request and relay groups bring in the database layer, which a
check never needs. To add a command, add a line to ``COMMANDS``.
"""

from __future__ import annotations

import importlib

import typer
from typer.core import TyperGroup

# name -> (module, attribute): a function is one command, a Typer app a group of them. The order is
# the order ``councilguard --help`` lists them in.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("councilguard.cli.check", "check"),
    "rules": ("councilguard.cli.rules", "rules"),
    "explain": ("councilguard.cli.rules", "explain"),
    "eval": ("councilguard.cli.eval", "eval_"),
    "serve": ("councilguard.cli.serve", "serve"),
    "archive": ("councilguard.cli.archive", "app"),
    "request": ("councilguard.cli.requests", "app"),
    "relay": ("councilguard.cli.relay", "app"),
}


def _load(name: str):
    """The click command for ``name``, built the way Typer builds a registered command or group."""
    module, attribute = COMMANDS[name]
    target = getattr(importlib.import_module(module), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    return command


class LazyCommands(TyperGroup):
    """The top-level group, importing each command's module on first use."""

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, cmd_name: str):
        if cmd_name not in self.commands:
            if cmd_name in COMMANDS:
                self.commands[cmd_name] = _load(cmd_name)
            else:  # unknown: load them all, so that the error can suggest the nearest name
                self.commands.update((name, self.commands.get(name) or _load(name)) for name in COMMANDS)
        return self.commands.get(cmd_name)


app = typer.Typer(
    name="councilguard",
    help="Check posts and e-mails against your council's social media and e-mail policy, before they go out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=LazyCommands,
)


@app.callback()
def _group() -> None:
    # a callback makes Typer build a group (of the lazily loaded commands) rather than one command
    pass


def main() -> None:
    app()
