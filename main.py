"""Entry point: no command (or `open PATH`, `review PACKET`) starts the app; any other the CLI."""

from __future__ import annotations

import os
import sys

GUI_COMMANDS = {"open", "review"}
# Qt platforms that draw without a display server (tests, remote access, kiosks).
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")


def no_display() -> str | None:
    """Why the app cannot show a window here, in one line; None when it can."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform.startswith(HEADLESS_PLATFORMS):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "workbench: there is no display to show the app on (DISPLAY and WAYLAND_DISPLAY are "
        "unset); run it from a desktop session, over `ssh -X`, or under a virtual display "
        "with `xvfb-run -a tools/demo`. Command-line commands (workbench --help) need none."
    )


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_help = bool({"-h", "--help"} & set(argv))
    if not argv or (argv[0] in GUI_COMMANDS and not wants_help):
        reason = no_display()
        if reason:  # detected before Qt starts: Qt itself would abort with a core dump
            print(reason, file=sys.stderr)
            return 1
        from ui.app import run  # one bootstrap (logging, crash handler) for both windows

        return run(argv)
    from workbench.cli import main as cli_main

    return cli_main(argv)


def gui() -> int:
    """The GUI entry point (gui-scripts: no console window on Windows)."""
    return main()


if __name__ == "__main__":
    sys.exit(main())
