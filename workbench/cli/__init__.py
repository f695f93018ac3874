"""The command line: one parser, a subcommand module per area, one-line errors, exit codes."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from workbench.errors import StoreError, WorkbenchError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BLOCKED = 3

# Each module defines register(subparsers); add a new area here and its import to areas().
AREAS = (
    "documents",
    "coordination",
    "calendar",
    "exchange",
    "pdf",
    "search",
    "maintenance",
    "roundtrip",
    "authority",
    "shared",
)
# Who the command acts for: --as NAME, else the person this OS account chose (whoami --set).
_acting_as: str | None = None


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line on stderr, no usage dump
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="workbench",
        description="CNE Workbench: draft, coordinate and "
        "publish counternarcotics policy documents. With no command, opens the app.",
    )
    parser.add_argument("--as", dest="as_person", default=None, metavar="NAME", help=AS_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.add_parser("open", help="open a workspace in the app").add_argument("path")
    for area in areas():
        area.register(sub)
    return parser


def areas() -> list:
    """The command modules, imported by name so that a frozen build carries every one."""
    from workbench.cli import (
        authority,
        calendar,
        coordination,
        documents,
        exchange,
        maintenance,
        pdf,
        roundtrip,
        search,
        shared,
    )

    found = [
        documents,
        coordination,
        calendar,
        exchange,
        pdf,
        search,
        maintenance,
        roundtrip,
        authority,
        shared,
    ]
    names = [m.__name__.rpartition(".")[2] for m in found]
    assert names == list(AREAS), f"workbench.cli.areas() imports {names}, AREAS lists {AREAS}"
    return found


def command(sub, name: str, help: str, handler: Callable[[argparse.Namespace], int | None]):
    """Add a subcommand whose handler takes the parsed arguments."""
    p = sub.add_parser(name, help=help, description=help)
    p.set_defaults(handler=handler)
    p.add_argument(
        "--as", dest="as_person", default=argparse.SUPPRESS, metavar="NAME", help=AS_HELP
    )
    return p


AS_HELP = "act as this person in the directory (default: the one chosen with whoami --set)"


def output_file(path: str) -> Path:
    """Where a command will write: refused up front if it is a folder or its folder is missing."""
    from workbench.files import refuse_workspace_target

    out = refuse_workspace_target(path)
    if out.is_dir():
        raise CliError(f"workbench: {out} is a folder; name a file to write.")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise CliError(f"workbench: the folder {folder} does not exist.")
    return out


def write_file(out: Path, data: bytes | str) -> None:
    """Written whole or not at all, and never over a workspace (workbench.files)."""
    from workbench.files import write_atomic

    write_atomic(out, data)


def open_workspace(path: str, *, read_only: bool = False):
    """Commands read and write while the app has the file open: they take no single-window
    claim, and SQLite's transactions keep their writes and the window's apart."""
    from workbench.authority import identity
    from workbench.workspace import Workspace

    ws = Workspace.open(path, read_only=True if read_only else None, claim=False)
    try:
        if _acting_as:
            identity.act_as(ws, _acting_as)
        else:
            identity.restore(ws)
    except BaseException:
        ws.close()
        raise
    return ws


def print_json(value) -> None:
    json.dump(value, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = None
    try:
        global _acting_as
        args = build_parser().parse_args(argv)
        _acting_as = getattr(args, "as_person", None)
        if not getattr(args, "handler", None):
            build_parser().print_help()
            return EXIT_USAGE
        return args.handler(args) or EXIT_OK
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except (WorkbenchError, StoreError) as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except FileExistsError as exc:
        print(f"workbench: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        sys.stderr.close()
        return EXIT_OK
    except OSError as exc:
        print(
            f"workbench: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not type(exc).__module__.startswith("psycopg"):
            raise
        # A shared workspace's server failed a read (a lost connection, a refused query).
        from db.address import ServerAddress, is_server
        from db.postgres import translate_error

        where = getattr(args, "path", None) or getattr(args, "source", None) or ""
        plain = translate_error(exc, ServerAddress(where)) if is_server(where) else None
        text = str(plain) if plain else (str(exc).strip().splitlines() or ["no answer"])[0]
        print(f"workbench: {text}", file=sys.stderr)
        return EXIT_ERROR
