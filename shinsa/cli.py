"""The ``shinsa`` console script: a thin front over the management commands of Shinsa's apps.

Every management command defined in a ``shinsa.*`` app is a subcommand (``shinsa ingest``,
``shinsa worker``, ...); ``shinsa manage ...`` reaches any other Django command (``migrate``,
``createsuperuser``).
"""

from __future__ import annotations

import os
import sys


def _shinsa_commands() -> dict[str, str]:
    from django.core.management import get_commands, load_command_class

    commands = {}
    for name, app in sorted(get_commands().items()):
        if isinstance(app, str) and app.startswith("shinsa."):
            help_text = load_command_class(app, name).help or ""
            commands[name] = help_text.strip().splitlines()[0] if help_text.strip() else ""
    return commands


def _print_help(commands: dict[str, str]) -> None:
    width = max(len(name) for name in [*commands, "manage"]) + 2
    print("usage: shinsa <command> [options]\n")
    print("Trust & Safety operations for video-streaming catalogs.\n\ncommands:")
    for name, line in commands.items():
        print(f"  {name.ljust(width)}{line}")
    print(f"  {'manage'.ljust(width)}Run any Django management command (migrate, createsuperuser, ...)")
    print("\n`shinsa <command> --help` shows a command's options.")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shinsa.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        print(f"shinsa: configuration error: {error}", file=sys.stderr)
        return 2

    from django.core.management import execute_from_command_line

    commands = _shinsa_commands()
    if not argv or argv[0] in {"-h", "--help", "help"}:
        _print_help(commands)
        return 0
    name, rest = argv[0], argv[1:]
    if name == "manage":
        execute_from_command_line(["shinsa manage", *rest])
        return 0
    if name not in commands:
        print(f"shinsa: unknown command {name!r}; `shinsa --help` lists the commands", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["shinsa", name, *rest])
    except BrokenPipeError:
        # The reader went away (`shinsa screen x | head -1`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    return 0


if __name__ == "__main__":
    sys.exit(main())
