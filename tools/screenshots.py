"""Screenshots of every window and dialog of the app on a fresh demo workspace.

    tools/screenshots [-o FOLDER] [--sizes 1366x768 1920x1080] [--themes light dark]
                      [--only WORD ...]

Each (screen size, theme) runs in a process of its own on Qt's offscreen platform with a screen
of exactly that size, settings and keys in a temporary folder (nothing of the user's is read or
written), and saves PNGs named SIZE-THEME-NAME.png into FOLDER (default /work/screens). Every
menu command ending in "…" is triggered and whatever window it opens is saved, then cancelled:
nothing is written to the demo workspace by a dialog. A line per shot goes to FOLDER/index.txt,
flagging any window larger than the screen.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path("/work/screens")
SIZES = ["1366x768", "1920x1080"]
THEMES = ["light", "dark"]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--sizes", nargs="+", default=SIZES)
    parser.add_argument("--themes", nargs="+", default=THEMES, choices=THEMES)
    parser.add_argument("--only", nargs="*", default=[], help="shots whose name has a word")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "THEME"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.out, *args.child, args.only)
    args.out.mkdir(parents=True, exist_ok=True)
    failures = 0
    for size in args.sizes:
        for theme in args.themes:
            failures += run_child(args.out, size, theme, args.only)
    print(f"Screenshots in {args.out} (index: {args.out / 'index.txt'})")
    return 1 if failures else 0


def run_child(out: Path, size: str, theme: str, only: list[str]) -> int:
    width, height = (int(v) for v in size.split("x"))
    with tempfile.TemporaryDirectory(prefix="cne-screens-") as tmp:
        screen = Path(tmp) / "screen.json"
        screen.write_text(
            json.dumps(
                {
                    "screens": [
                        {
                            "name": "screen",
                            "x": 0,
                            "y": 0,
                            "width": width,
                            "height": height,
                            "logicalDpi": 96,
                            "logicalBaseDpi": 96,
                            "dpr": 1,
                        }
                    ]
                }
            )
        )
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=f"offscreen:configfile={screen}",
            XDG_CONFIG_HOME=f"{tmp}/config",
            XDG_DATA_HOME=f"{tmp}/data",
            XDG_CACHE_HOME=f"{tmp}/cache",
            CNE_WORKBENCH_KEYS=f"{tmp}/keys",
            CNE_WORKBENCH_IDENTITY=f"{tmp}/identity.json",
            CNE_SCREENS_TMP=tmp,
            QT_LOGGING_RULES="qt.qpa.*=false",
        )
        cmd = [sys.executable, __file__, "-o", str(out), "--child", size, theme]
        if only:
            cmd += ["--only", *only]
        started = time.monotonic()
        done = subprocess.run(cmd, env=env, cwd=ROOT)
        print(f"{size} {theme}: {time.monotonic() - started:.0f} s, exit {done.returncode}")
        return 1 if done.returncode else 0


def child(out: Path, size: str, theme: str, only: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    from screenshot_shooter import Shooter  # Qt is loaded only in the child

    shooter = Shooter(out, f"{size}-{theme}", theme, only, Path(os.environ["CNE_SCREENS_TMP"]))
    return shooter.run()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
