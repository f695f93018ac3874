"""Entry point: no command (or `open PATH`) starts the app; any other runs the CLI."""

from __future__ import annotations

import sys

GUI_COMMANDS = {"open", "review"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "review" and not {"-h", "--help"} & set(argv):
        from ui.review import run as review

        return review(argv)
    if not argv or (argv[0] in GUI_COMMANDS and not {"-h", "--help"} & set(argv)):
        from ui.app import run

        return run(argv)
    from workbench.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
