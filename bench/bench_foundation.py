"""Foundation bench: first paint, outline, save latency, UI-thread blocking and peak memory."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

T_MAIN = time.perf_counter()  # first thing a child process records (after interpreter start)

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    OUT,
    add_comments,
    cached_variant,
    cached_workspace,
    median,
    percentile,
    verdict,
    working_copy,
)

RESULT_PREFIX = "BENCH-RESULT "
NONE_REFS_AT_START = 0
FIRST_PAINT_TARGET_S = 0.8
FIRST_PAINT_RATIO_TARGET = 2.0
OUTLINE_TARGET_MS = 16.0
SAVE_P95_TARGET_MS = 10.0
UI_BLOCK_TARGET_MS = 50.0
SETTLED_TARGET_S = 1.0
SETTLED_MEMORY_TARGET_MB = 120.0


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def guard_none_refcount() -> int:
    """Work around PySide6 6.12 on CPython 3.11 dropping one reference to None per void call.

    Without this the app aborts ("Fatal Python error: none_dealloc") a few thousand Qt setter
    calls in, e.g. while the navigator fills with this workspace. Returns None's refcount
    before the guard, so a child can report how many references its run lost.
    """
    import ctypes

    before = sys.getrefcount(None)
    if sys.version_info < (3, 12):  # from 3.12 None is immortal and the stray decref harmless
        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
    return before


def none_refs() -> int:
    return sys.getrefcount(None) % (1 << 40)


def no_dialogs() -> list[str]:
    """Record message boxes instead of showing them (a modal box would hang a headless run).

    An error box (e.g. the workspace is open in another process) ends the child with it.
    """
    from ui import messages

    shown: list[str] = []

    def record(kind):
        def show(*a, **_k):
            text = " ".join(str(x) for x in a[1:])
            shown.append(f"{kind}: {text}")
            if kind in ("error", "crash"):
                sys.stderr.write(f"{kind} box: {text}\n")
                os._exit(3)
            return True

        return show

    for name in ("error", "info", "crash", "confirm"):
        setattr(messages, name, record(name))
    return shown


def emit(result: dict) -> None:
    sys.stdout.write(RESULT_PREFIX + json.dumps(result) + "\n")
    sys.stdout.flush()


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


# == children (each runs in a fresh process) ==================================================
def _profiled(args, fn):
    """Run fn under cProfile when --profile names a file; write stats and a text summary."""
    if not args.profile:
        return fn()
    import cProfile
    import io
    import pstats

    prof = cProfile.Profile()
    try:
        return prof.runcall(fn)
    finally:
        prof.dump_stats(args.profile)
        text = io.StringIO()
        stats = pstats.Stats(prof, stream=text).sort_stats("cumulative")
        stats.print_stats(40)
        Path(args.profile).with_suffix(".txt").write_text(text.getvalue())


def child_first_paint(args) -> None:
    """Start to first painted window: the app on a workspace, or a bare tree + editor window."""
    t_spawn = float(os.environ.get("BENCH_T_SPAWN", T_MAIN))
    marks: dict[str, float] = {"main": T_MAIN}

    def run():
        refs = none_refs()
        if args.mode == "app":
            from ui import app as ui_app  # what main.py imports for `workbench open PATH`

            marks["imported"] = time.perf_counter()
            no_dialogs()
            app = ui_app.init_app()
            ui_app.setup_logging()
            sys.excepthook = ui_app.excepthook
            marks["qapp"] = time.perf_counter()
            ws = ui_app.open_workspace(args.workspace)
            if ws is None:
                raise SystemExit("could not open the workspace")
            marks["opened"] = time.perf_counter()
            from ui.navigator import Navigator

            reloads: list[float] = []
            original = Navigator.reload

            def timed_reload(self):
                t = time.perf_counter()
                original(self)
                reloads.append(time.perf_counter() - t)

            Navigator.reload = timed_reload
            watcher = _PaintWatcher(app, marks)
            window = ui_app.show_window(ws)
            marks["shown"] = time.perf_counter()
            app.exec()
            extra = {"navigator_reload_ms": [ms(r) for r in reloads], "cpu_s": watcher.cpu_s}
        else:
            from PySide6.QtWidgets import QApplication, QPlainTextEdit, QSplitter, QTreeWidget

            marks["imported"] = time.perf_counter()
            app = QApplication(sys.argv[:1])
            marks["qapp"] = time.perf_counter()
            window = QSplitter()
            window.setWindowTitle("bare")
            QTreeWidget(window).setHeaderHidden(True)
            QPlainTextEdit(window)
            if args.size:
                w, h = (int(v) for v in args.size.split("x"))
                window.resize(w, h)
            watcher = _PaintWatcher(app, marks)
            window.show()
            marks["shown"] = time.perf_counter()
            app.exec()
            extra = {"cpu_s": watcher.cpu_s}
        del watcher
        size = window.size()
        return extra | {
            "size": f"{size.width()}x{size.height()}",
            "none_refs_lost": refs - none_refs(),
            "none_refs_at_start": NONE_REFS_AT_START,
        }

    extra = _profiled(args, run)
    rel = {k: ms(v - t_spawn) for k, v in marks.items()}
    cpu = extra.pop("cpu_s")
    emit(
        {
            "mode": args.mode,
            "first_paint_s": round(marks["painted"] - t_spawn, 4),
            "first_paint_cpu_s": round(cpu, 4),
            "marks_ms_from_spawn": rel,
            "maxrss_mb": round(maxrss_mb(), 1),
            **extra,
        }
    )
    sys.stdout.flush()
    os._exit(0)  # teardown is not part of the measurement


def rss_mb() -> float:
    """Resident memory now (not the peak), from /proc."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1_048_576


def child_settled(args) -> None:
    """`workbench open PATH` from start to settled: first paint, then the parts installed, the
    check after opening reported, every panel read and shown, no background read running."""
    t_spawn = float(os.environ.get("BENCH_T_SPAWN", T_MAIN))
    marks: dict[str, float] = {"main": T_MAIN}
    from PySide6.QtCore import QTimer

    from ui import app as ui_app  # what main.py imports first for `workbench open PATH`

    marks["imported"] = time.perf_counter()
    load_parts = ui_app.parts

    def parts():
        # The parts load after the first paint, as in the app; a first-run question (who is
        # acting) is not start-up work.
        loaded = load_parts()
        import ui.authority.install as authority_install

        authority_install.ASK_ON_OPEN = False
        return loaded

    ui_app.parts = parts
    no_dialogs()
    app = ui_app.init_app()
    ui_app.setup_logging()
    ws = ui_app.open_workspace(args.workspace)
    if ws is None:
        raise SystemExit("could not open the workspace")
    marks["opened"] = time.perf_counter()
    watcher = _PaintWatcher(app, marks, quit_app=False)
    window = ui_app.show_window(ws)
    marks["shown"] = time.perf_counter()
    state = {"since": None}

    def poll() -> None:
        maintenance = getattr(window, "maintenance", None)
        ready = (
            "painted" in marks
            and window.parts_installed
            and maintenance is not None
            and maintenance.last_report is not None
            and _settled()
        )
        now = time.perf_counter()
        if not ready:
            state["since"] = None
        elif state["since"] is None:
            state["since"] = now
            marks["settled"] = now
            state["cpu"] = time.process_time()
            marks["rss_settled_mb"] = rss_mb()
        elif now - state["since"] > 0.3:  # still settled 300 ms later: it was settled
            app.quit()
            return
        QTimer.singleShot(5, poll)

    QTimer.singleShot(0, poll)
    QTimer.singleShot(args.timeout * 1000, app.quit)
    app.exec()
    paint_cpu = watcher.cpu_s
    del watcher
    rss = marks.pop("rss_settled_mb", None)
    emit(
        {
            "first_paint_s": round(marks["painted"] - t_spawn, 4),
            "settled_s": round(marks["settled"] - t_spawn, 4) if "settled" in marks else None,
            "first_paint_cpu_s": round(paint_cpu, 4) if paint_cpu else None,
            "settled_cpu_s": round(state["cpu"], 4) if "cpu" in state else None,
            "marks_ms_from_spawn": {k: ms(v - t_spawn) for k, v in marks.items()},
            "rss_settled_mb": round(rss, 1) if rss else None,
            "maxrss_mb": round(maxrss_mb(), 1),
            "size": f"{window.width()}x{window.height()}",
        }
    )
    os._exit(0)


class _PaintWatcher:
    """Records the first Paint event of a top-level window and the end of that paint pass."""

    def __init__(self, app, marks, quit_app: bool = True):
        from PySide6.QtCore import QEvent, QObject, QTimer

        outer = self
        self.quit_app = quit_app

        class Filter(QObject):
            def eventFilter(self, obj, event):  # noqa: N802 (Qt override)
                if event.type() == QEvent.Type.Paint and "paint_event" not in marks:
                    marks["paint_event"] = time.perf_counter()
                    QTimer.singleShot(0, outer.done)
                return False

        self.app, self.marks = app, marks
        self.cpu_s: float | None = None
        self.filter = Filter()
        app.installEventFilter(self.filter)

    def done(self) -> None:
        self.marks["painted"] = time.perf_counter()  # the whole first paint pass is over
        self.cpu_s = time.process_time()  # this process's CPU (every thread) since it started
        self.app.removeEventFilter(self.filter)
        if self.quit_app:
            self.app.quit()


def child_outline(args) -> None:
    """Core outline of the 500-section document and the navigator building it, in process."""
    from PySide6.QtWidgets import QApplication

    from ui import app as ui_app
    from workbench import documents, sections
    from workbench.workspace import Workspace

    facts = json.loads(args.facts)
    doc_id = facts["big_document_id"]
    app = ui_app.init_app()
    ws = Workspace.open(args.workspace)
    out: dict = {}
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    refs = none_refs()
    for _ in range(1000):
        label.setText("x")
    out["none_refs_lost_per_1000_setText"] = refs - none_refs()
    out["none_refs_at_start"] = NONE_REFS_AT_START

    t = time.perf_counter()
    entries = sections.outline(ws, doc_id)
    out["outline_first_ms"] = ms(time.perf_counter() - t)
    out["outline_entries"] = len(entries)
    runs = []
    for _ in range(args.repeat):
        ws._read_cache.clear()  # the first read after a change: the cache would hide the cost
        t = time.perf_counter()
        sections.outline(ws, doc_id)
        runs.append(time.perf_counter() - t)
    out["outline_ms"] = [ms(r) for r in runs]

    from ui import navigator as nav_module
    from ui.navigator import Navigator

    # The whole navigator as the window builds it on start (document rows; sections on demand).
    nav = Navigator(ws)
    nav.resize(300, 800)
    nav.show()
    app.processEvents()
    runs = []
    for _ in range(max(3, args.repeat // 10)):
        t = time.perf_counter()
        nav.reload()
        runs.append(time.perf_counter() - t)
    out["navigator_full_reload_ms"] = [ms(r) for r in runs]
    out["navigator_items"] = len(nav.row_keys())
    nav.close()

    # The navigator's own reload code restricted to the 500-section document.
    big = documents.document(ws, doc_id)

    class OneDocument:
        @staticmethod
        def list_documents(_ws):
            return [big]

    nav_module.documents = OneDocument
    try:
        nav = Navigator(ws)
        nav.resize(300, 800)
        nav.show()
        app.processEvents()
        build, paint = [], []
        for _ in range(args.repeat):
            ws._read_cache.clear()
            t = time.perf_counter()
            nav.reload()
            t1 = time.perf_counter()
            nav.viewport().repaint()
            build.append(t1 - t)
            paint.append(time.perf_counter() - t1)
        out["navigator_one_document_ms"] = [ms(r) for r in build]
        out["navigator_one_document_paint_ms"] = [ms(r) for r in paint]
        out["navigator_one_document_items"] = len(nav.row_keys())
    finally:
        nav_module.documents = documents

    # Showing one section of that document in the editor (it numbers the whole document).
    from ui.autosave import Autosave
    from ui.operations import Operations
    from ui.section_editor import SectionEditor

    ops = Operations(ws)
    editor = SectionEditor(ws, ops, Autosave(ops))
    editor.show()
    ids = facts["big_document_section_ids"]
    runs = []
    for i in range(args.repeat):
        t = time.perf_counter()
        editor.show_section(ids[(i * 37) % len(ids)])
        runs.append(time.perf_counter() - t)
    out["editor_show_section_ms"] = [ms(r) for r in runs]
    ops.shutdown()
    out["maxrss_mb"] = round(maxrss_mb(), 1)
    emit(out)
    QApplication.instance().quit()
    os._exit(0)


def _words(rng, n: int) -> str:
    vocab = "maritime border cartel fentanyl precursor liaison seizure corridor port the of".split()
    return " ".join(rng.choice(vocab) for _ in range(n))


def child_saves(args) -> None:
    """edit_section on 300-word bodies, timed one by one on a synchronous=FULL connection."""
    import random

    from workbench import sections
    from workbench.workspace import Workspace

    facts = json.loads(args.facts)
    ids = facts["big_document_section_ids"]
    rng = random.Random(1)
    ws = Workspace.open(args.workspace)
    worker_ws = ws.for_thread()  # the connection ui/operations.py writes through
    pragmas = {
        "synchronous": ws.db.execute("PRAGMA synchronous").fetchone()[0],
        "synchronous_worker": worker_ws.db.execute("PRAGMA synchronous").fetchone()[0],
        "journal_mode": worker_ws.db.execute("PRAGMA journal_mode").fetchone()[0],
    }
    ws.close()
    base = sections.section(worker_ws, ids[0]).body
    typing, spread = [], []
    # Typing in one section: each save is the same body plus the words typed so far.
    for i in range(args.saves):
        body = base + " " + _words(rng, i + 1)
        t = time.perf_counter()
        sections.edit_section(worker_ws, ids[0], body=body)
        typing.append(time.perf_counter() - t)
    # Saves spread over the document: a fresh 300-word body each time.
    for _ in range(args.saves):
        sid = ids[rng.randrange(len(ids))]
        body = _words(rng, facts["words"])
        t = time.perf_counter()
        sections.edit_section(worker_ws, sid, body=body)
        spread.append(time.perf_counter() - t)
    worker_ws.close()
    # The disk's floor: a save under synchronous=FULL cannot beat one write + fsync.
    floor = []
    fd = os.open(args.workspace + ".fsync-probe", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        for i in range(args.saves):
            os.pwrite(fd, os.urandom(4096), (i % 16) * 4096)
            t = time.perf_counter()
            os.fsync(fd)
            floor.append(time.perf_counter() - t)
    finally:
        os.close(fd)
        os.unlink(args.workspace + ".fsync-probe")
    emit(
        {
            "fsync_ms": [ms(v) for v in floor],
            "pragmas": pragmas,
            "typing_ms": [ms(v) for v in typing],
            "spread_ms": [ms(v) for v in spread],
            "maxrss_mb": round(maxrss_mb(), 1),
        }
    )
    os._exit(0)


def _attribute_panels(spans: dict) -> None:
    """Time every panel's re-read on the UI thread, labelled by the panel's class (patched on
    the classes before the window exists, so every panel's LazyReload is covered)."""
    from ui import lazy

    original_init = lazy.LazyReload.__init__

    def timed(fn, label):
        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spans.setdefault(label, []).append((t, time.perf_counter()))

        return wrapper

    def init(self, widget, reload, delay_ms=0, *, prepare=None, show=None, **kwargs):
        name = type(widget).__name__
        original_init(
            self,
            widget,
            timed(reload, f"{name}.reload"),
            delay_ms,
            prepare=prepare and timed(prepare, f"{name}.prepare"),
            show=show and timed(show, f"{name}.show"),
            **kwargs,
        )

    lazy.LazyReload.__init__ = init


def _settled() -> bool:
    """No panel re-read queued, running, or waiting to be delivered."""
    from ui import lazy
    from ui.search.reader import live_readers

    return not lazy._shared_turns()._queue and all(r.idle() for r in live_readers())


def child_ui_saves(args) -> None:
    """Type into the real window's section editor so autosave writes through ui/operations.py,
    while a 5 ms QTimer on the UI thread records the longest gap between its ticks.

    Phases, each timed by the same ticker: selecting the section (its document's panels read
    the comments), an idle second (the timer's own jitter), then typing with autosaves.
    """
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtGui import QTextCursor

    import ui.authority.install as authority_install
    from ui import app as ui_app

    authority_install.ASK_ON_OPEN = False  # a modal "who are you" box would hold the run
    facts = json.loads(args.facts)
    shown = no_dialogs()
    spans: dict[str, list[tuple[float, float]]] = {}
    _attribute_panels(spans)
    app = ui_app.init_app()
    ui_app.setup_logging()
    ws = ui_app.open_workspace(args.workspace)
    window = ui_app.show_window(ws)
    window.resize(1400, 900)
    deadline = time.perf_counter() + 60
    while not window.parts_installed and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    window.autosave._debounce.setInterval(args.debounce_ms)
    sid = facts["big_document_section_ids"][len(facts["big_document_section_ids"]) // 2]

    # Attribution: time what the UI thread runs after each write (looked up at call time).
    def timed(owner, attr, label):
        original = getattr(owner, attr)

        def wrapper(*a, **k):
            t = time.perf_counter()
            try:
                return original(*a, **k)
            finally:
                spans.setdefault(label, []).append((t, time.perf_counter()))

        setattr(owner, attr, wrapper)
        return wrapper

    timed(window.navigator, "reload", "navigator.reload")
    timed(window.navigator, "select", "navigator.select")
    timed(window.editor, "refresh", "editor.refresh")
    timed(window.history, "refresh", "history.refresh")
    timed(window, "_update_undo_text", "window._update_undo_text")
    editor = window.editor
    editor._preview_timer.timeout.disconnect(editor.update_preview)
    editor._preview_timer.timeout.connect(timed(editor, "update_preview", "editor.update_preview"))

    ticks: list[float] = []
    # The UI thread's own CPU time at each tick: on a loaded machine most of a long wall gap
    # can be the process waiting for a core; the CPU the UI thread spent is what it blocked.
    tick_cpu: list[float] = []
    ticker = QTimer()
    ticker.setTimerType(Qt.TimerType.PreciseTimer)
    ticker.setInterval(5)
    ticker.timeout.connect(
        lambda: (ticks.append(time.perf_counter()), tick_cpu.append(time.thread_time()))
    )

    state = {"cycle": 0, "key": 0, "saved": 0, "start": 0.0, "select": 0.0, "selected": 0.0}
    cycles: list[dict] = []
    keys_per_cycle = 5

    def on_flush():
        if cycles and "flushed" not in cycles[-1]:
            cycles[-1]["flushed"] = time.perf_counter()

    def on_saved(section_id):
        state["saved"] += 1
        if cycles and "saved" not in cycles[-1]:
            cycles[-1]["saved"] = time.perf_counter()

    def on_changed():
        # Connected after the window's own _refresh, so this runs once the refresh is over.
        if cycles and "saved" in cycles[-1] and "refreshed" not in cycles[-1]:
            cycles[-1]["refreshed"] = time.perf_counter()
            state["cycle"] += 1
            if state["cycle"] >= args.autosaves:
                QTimer.singleShot(200, finish)
            else:
                QTimer.singleShot(args.pause_ms, type_key)

    window.autosave._debounce.timeout.connect(on_flush)
    window.autosave.saved.connect(on_saved)
    window.workspace_changed.connect(on_changed)

    def type_key():
        if state["key"] == 0:
            cycles.append({"typing": time.perf_counter()})
        cursor = editor.body.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(f" word{state['cycle']}-{state['key']}")
        editor.body.setTextCursor(cursor)
        state["key"] += 1
        if state["key"] < keys_per_cycle:
            QTimer.singleShot(args.key_ms, type_key)
        else:
            state["key"] = 0
            cycles[-1]["last_key"] = time.perf_counter()

    def finish():
        # The panels' re-reads after the last save belong to the typing phase too.
        if _settled() or time.perf_counter() - state["finish_asked"] > 30:
            state["end"] = time.perf_counter()
            app.quit()
        else:
            QTimer.singleShot(10, finish)

    def select():
        state["select"] = time.perf_counter()
        window.navigator.select("section", sid)
        if window.editor.section_id != sid:
            sys.stderr.write("the section did not open in the editor\n")
            os._exit(3)
        QTimer.singleShot(10, wait_selected)

    def wait_selected():
        # Selected once every panel has read and shown the document (or after 60 s).
        if _settled() or time.perf_counter() - state["select"] > 60:
            state["selected"] = time.perf_counter()
            QTimer.singleShot(1000, start)  # one idle second: the timer's own jitter
        else:
            QTimer.singleShot(10, wait_selected)

    def start():
        state["start"] = time.perf_counter()
        type_key()

    refs = none_refs()
    ticker.start()
    QTimer.singleShot(200, select)
    QTimer.singleShot(args.timeout * 1000, app.quit)  # a stuck run still reports
    state["finish_asked"] = float("inf")
    t0 = time.perf_counter()
    _profiled(args, app.exec)
    ticker.stop()
    end = state.get("end", time.perf_counter())

    gaps = [(b - a, a, b) for a, b in zip(ticks, ticks[1:], strict=False)]
    cpu_gaps = [(cb - ca, a) for a, ca, cb in zip(ticks, tick_cpu, tick_cpu[1:], strict=False)]
    busy_cpu = [g for g, a in cpu_gaps if state["start"] <= a < end]
    idle_cpu = [g for g, a in cpu_gaps if state["selected"] <= a < state["start"]]
    selecting = [g for g, a, b in gaps if b > state["select"] and a < state["selected"]]
    idle = [g for g, a, _ in gaps if state["selected"] <= a < state["start"]]
    busy = [(g, a, b) for g, a, b in gaps if state["start"] <= a < end]
    windows = [(c["flushed"], c["refreshed"] + 0.02) for c in cycles if "refreshed" in c]
    in_saves = [g for g, a, b in busy if any(a < e and b > s for s, e in windows)]
    label_totals = {
        label: {
            "count": len(v),
            "median_ms": ms(median([e - s for s, e in v])),
            "max_ms": ms(max(e - s for s, e in v)),
        }
        for label, v in spans.items()
    }

    def overlapping(a, b):
        return sorted({label for label, v in spans.items() for s, e in v if s < b and e > a})

    long_gaps = sorted(busy, reverse=True)[:5]
    select_gaps = sorted(
        (x for x in gaps if x[2] > state["select"] and x[1] < state["selected"]), reverse=True
    )[:5]
    emit(
        {
            "autosaves": state["saved"],
            "cycles": len([c for c in cycles if "refreshed" in c]),
            "debounce_ms": args.debounce_ms,
            "run_s": round(time.perf_counter() - t0, 2),
            "select_ms": ms(state["selected"] - state["select"]),
            "select_max_gap_ms": ms(max(selecting, default=0.0)),
            "idle_max_gap_ms": ms(max(idle, default=0.0)),
            "max_gap_ms": ms(max((g for g, _, _ in busy), default=0.0)),
            "max_gap_during_saves_ms": ms(max(in_saves, default=0.0)),
            "max_cpu_gap_ms": ms(max(busy_cpu, default=0.0)),
            "idle_max_cpu_gap_ms": ms(max(idle_cpu, default=0.0)),
            "cpu_gaps_over_50ms": sum(1 for g in busy_cpu if g > UI_BLOCK_TARGET_MS / 1000),
            "gaps_over_50ms": sum(1 for g, _, _ in busy if g > UI_BLOCK_TARGET_MS / 1000),
            "longest_gaps": [{"ms": ms(g), "during": overlapping(a, b)} for g, a, b in long_gaps],
            "longest_select_gaps": [
                {"ms": ms(g), "during": overlapping(a, b)} for g, a, b in select_gaps
            ],
            "write_to_saved_ms": [
                ms(c["saved"] - c["flushed"]) for c in cycles if "saved" in c and "flushed" in c
            ],
            "saved_to_refreshed_ms": [
                ms(c["refreshed"] - c["saved"]) for c in cycles if "refreshed" in c
            ],
            "ui_work": label_totals,
            "dialogs": shown,
            "none_refs_lost": refs - none_refs(),
            "maxrss_mb": round(maxrss_mb(), 1),
        }
    )
    os._exit(0)


# == parent ===================================================================================
def spawn(child: str, extra: list[str], env_extra: dict | None = None, timeout=900) -> dict:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    home = tempfile.mkdtemp(prefix="xdg-", dir=OUT / "scratch")
    env["XDG_CONFIG_HOME"] = os.path.join(home, "config")  # fresh settings: no saved layout
    env["XDG_DATA_HOME"] = os.path.join(home, "data")
    env["XDG_CACHE_HOME"] = os.path.join(home, "cache")
    env.pop("BENCH_T_SPAWN", None)
    # Start as an installed app does, from cached bytecode (pip compiles on install); this
    # machine's PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT / "pycache")
    env.update(env_extra or {})  # e.g. a cache folder kept across runs, as a user's is
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", child, *extra]
    if child in ("first-paint", "settled"):
        env["BENCH_T_SPAWN"] = repr(time.perf_counter())  # CLOCK_MONOTONIC: same in the child
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    raise RuntimeError(
        f"{child} failed (exit {proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    )


def summarize(values: list[float]) -> dict:
    return {
        "median": round(median(values), 3),
        "p95": round(percentile(values, 95), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "n": len(values),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=5, help="first-paint runs per window (≥5)")
    p.add_argument("--saves", type=int, default=200, help="timed edit_section calls per series")
    p.add_argument("--autosaves", type=int, default=50, help="autosaves in the UI-blocking run")
    p.add_argument("--debounce-ms", type=int, default=100, help="autosave debounce in that run")
    p.add_argument("--key-ms", type=int, default=40, help="time between typed words")
    p.add_argument("--pause-ms", type=int, default=50, help="pause after each autosave")
    p.add_argument("--repeat", type=int, default=50, help="repetitions of the outline timings")
    p.add_argument("--documents", type=int, default=1000)
    p.add_argument("--sections", type=int, default=10000)
    p.add_argument("--words", type=int, default=300)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--comments",
        type=int,
        nargs="*",
        default=[0, 1000, 5000],
        help="comments on the typed-in document, one UI-blocking run per count",
    )
    p.add_argument(
        "--only", choices=["first-paint", "settled", "outline", "saves", "ui-saves"], nargs="*"
    )
    p.add_argument("--profile", action="store_true", help="also write cProfile runs to bench/out")
    # child-process options
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--mode", help=argparse.SUPPRESS)
    p.add_argument("--workspace", help=argparse.SUPPRESS)
    p.add_argument("--facts", help=argparse.SUPPRESS)
    p.add_argument("--size", help=argparse.SUPPRESS)
    p.add_argument("--timeout", type=int, default=600, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        global NONE_REFS_AT_START
        NONE_REFS_AT_START = guard_none_refcount()
        if args.profile in (None, False, True, ""):
            args.profile = os.environ.get("BENCH_PROFILE") or None
        child = {
            "first-paint": child_first_paint,
            "outline": child_outline,
            "saves": child_saves,
            "ui-saves": child_ui_saves,
            "settled": child_settled,
        }[args.child]
        child(args)
        return 0
    return run_all(args)


def _git_state() -> dict:
    """The commit measured, and whether the working tree differed from it."""
    root = Path(__file__).resolve().parent.parent

    def git(*a):
        done = subprocess.run(["git", *a], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    try:
        import PySide6

        pyside = PySide6.__version__
    except ImportError:
        pyside = ""
    return {
        "head": git("rev-parse", "--short", "HEAD"),
        "modified_files": git("status", "--porcelain", "--untracked-files=no").splitlines(),
        "pyside6": pyside,
    }


def run_all(args) -> int:
    (OUT / "scratch").mkdir(parents=True, exist_ok=True)
    only = set(args.only or ["first-paint", "settled", "outline", "saves", "ui-saves"])
    t0 = time.perf_counter()
    facts = cached_workspace(args.documents, args.sections, args.words, args.seed)
    print(
        f"workspace: {facts['path']} ({facts['documents']} documents, {facts['sections']} "
        f"sections of ~{facts['words']} words, {facts['bytes'] / 1e6:.0f} MB; "
        f"ready in {time.perf_counter() - t0:.1f} s)",
        flush=True,
    )
    facts_arg = json.dumps(
        {k: facts[k] for k in ("big_document_id", "big_document_section_ids", "words")}
    )
    rows: list[tuple[str, float | None, str, float | None, str]] = []
    report: dict = {
        "workspace": {k: v for k, v in facts.items() if k != "big_document_section_ids"},
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "load_average": {"start": os.getloadavg()},
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "git": _git_state(),
    }

    def row(name, value, unit, target, note=""):
        rows.append((name, value, unit, target, note))

    def profile_env(name: str) -> dict:
        return {"BENCH_PROFILE": str(OUT / f"profile-{name}.prof")} if args.profile else {}

    if "first-paint" in only:
        # A private copy: another process holding the shared file's instance lock would
        # otherwise turn a run into an "already open" message.
        fp_path = str(working_copy(facts, "first-paint"))
        report["load_average"]["first-paint"] = os.getloadavg()
        # Settings start empty each run; the cache folder (the schema each workspace version
        # must have, the federal calendars) is kept, as it is between a user's sessions: the
        # warm-up fills it.
        cache = {"XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=OUT / "scratch")}
        print("first paint: warming up…", flush=True)
        warm = spawn("first-paint", ["--mode", "app", "--workspace", fp_path], cache)
        size = warm["size"]
        spawn("first-paint", ["--mode", "bare", "--size", size])
        app_runs, bare_runs = [], []
        for i in range(args.runs):
            print(f"first paint: run {i + 1}/{args.runs}", flush=True)
            app_runs.append(spawn("first-paint", ["--mode", "app", "--workspace", fp_path], cache))
            bare_runs.append(spawn("first-paint", ["--mode", "bare", "--size", size]))
        if args.profile:
            spawn(
                "first-paint",
                ["--mode", "app", "--workspace", fp_path],
                cache | profile_env("first-paint"),
            )
        app_s = [r["first_paint_s"] for r in app_runs]
        bare_s = [r["first_paint_s"] for r in bare_runs]
        ratio = median(app_s) / median(bare_s)
        # CPU time (all threads, from the process's start) is what a loaded machine inflates
        # least: wall times here can run three times the CPU times.
        app_cpu = [r["first_paint_cpu_s"] for r in app_runs]
        bare_cpu = [r["first_paint_cpu_s"] for r in bare_runs]
        cpu_ratio = median(app_cpu) / median(bare_cpu)
        marks = {
            k: round(median([r["marks_ms_from_spawn"][k] for r in app_runs]), 1)
            for k in app_runs[0]["marks_ms_from_spawn"]
        }
        report["first_paint"] = {
            "app_s": summarize(app_s),
            "bare_s": summarize(bare_s),
            "ratio": round(ratio, 2),
            "app_cpu_s": summarize(app_cpu),
            "bare_cpu_s": summarize(bare_cpu),
            "cpu_ratio": round(cpu_ratio, 2),
            "ratios_by_run": [round(a / b, 2) for a, b in zip(app_s, bare_s, strict=True)],
            "app_marks_median_ms_from_spawn": marks,
            "bare_marks_median_ms_from_spawn": {
                k: round(median([r["marks_ms_from_spawn"][k] for r in bare_runs]), 1)
                for k in bare_runs[0]["marks_ms_from_spawn"]
            },
            "app_navigator_reload_ms": [r["navigator_reload_ms"] for r in app_runs],
            "window_size": size,
            "app_maxrss_mb": summarize([r["maxrss_mb"] for r in app_runs]),
            "bare_maxrss_mb": summarize([r["maxrss_mb"] for r in bare_runs]),
        }
        row("first paint, app on workspace (s)", median(app_s), "s", FIRST_PAINT_TARGET_S)
        row("first paint, bare tree+editor (s)", median(bare_s), "s", None)
        row("first paint ratio app/bare", ratio, "×", FIRST_PAINT_RATIO_TARGET)
        row("first paint CPU, app (s)", median(app_cpu), "s", None)
        row("first paint CPU, bare (s)", median(bare_cpu), "s", None)
        row("first paint CPU ratio app/bare", cpu_ratio, "×", FIRST_PAINT_RATIO_TARGET)
        nav = [x for r in app_runs for x in r["navigator_reload_ms"]]
        row("  of which navigator.reload at start", median(nav), "ms", None)
        row(
            "peak memory after first paint, app",
            median([r["maxrss_mb"] for r in app_runs]),
            "MB",
            None,
        )
        row(
            "peak memory after first paint, bare",
            median([r["maxrss_mb"] for r in bare_runs]),
            "MB",
            None,
        )

    if "settled" in only:
        # Start to settled on the same workspace with its documents' coordination (comments
        # from the organizations each was sent to): what a user opens, not an empty shell.
        from bench.bench_limits import COORDINATION_VERSION, prepare_coordination

        coordinated = cached_variant(
            facts,
            f"coordination{COORDINATION_VERSION}",
            lambda path: prepare_coordination(
                path, max(1, args.documents // 1000), facts["big_document_id"]
            ),
        )
        st_path = str(working_copy(coordinated, "settled"))
        report["load_average"]["settled"] = os.getloadavg()
        # Settings start empty each run; the cache folder (the federal calendars) is kept, as
        # it is between a user's sessions: the first run below fills it.
        cache = {"XDG_CACHE_HOME": tempfile.mkdtemp(prefix="cache-", dir=OUT / "scratch")}
        warm = spawn("settled", ["--workspace", st_path], cache)  # page cache, bytecode, cache
        runs, bare_runs = [], []
        for i in range(args.runs):
            print(f"start to settled: run {i + 1}/{args.runs}", flush=True)
            runs.append(spawn("settled", ["--workspace", st_path], cache))
            # The same run's baseline: a bare PySide6 window of the same size painted.
            bare_runs.append(spawn("first-paint", ["--mode", "bare", "--size", warm["size"]]))
        settled_s = [r["settled_s"] for r in runs]
        settled_cpu = [r["settled_cpu_s"] for r in runs]
        bare_s = [r["first_paint_s"] for r in bare_runs]
        bare_cpu = [r["first_paint_cpu_s"] for r in bare_runs]
        report["settled"] = {
            "settled_s": summarize(settled_s),
            "settled_cpu_s": summarize(settled_cpu),
            "bare_first_paint_s": summarize(bare_s),
            "bare_first_paint_cpu_s": summarize(bare_cpu),
            "ratio_to_bare": round(median(settled_s) / median(bare_s), 2),
            "cpu_ratio_to_bare": round(median(settled_cpu) / median(bare_cpu), 2),
            "first_paint_s": summarize([r["first_paint_s"] for r in runs]),
            "maxrss_mb": summarize([r["maxrss_mb"] for r in runs]),
            "rss_settled_mb": summarize([r["rss_settled_mb"] for r in runs]),
            "marks_ms_from_spawn": runs[-1]["marks_ms_from_spawn"],
        }
        row("start → settled (s)", median(settled_s), "s", SETTLED_TARGET_S)
        row("  bare window painted, same run (s)", median(bare_s), "s", None)
        row("  settled / bare window", median(settled_s) / median(bare_s), "×", None)
        row("start → settled CPU (s)", median(settled_cpu), "s", SETTLED_TARGET_S)
        row("  bare window CPU, same run (s)", median(bare_cpu), "s", None)
        row("  settled CPU / bare window CPU", median(settled_cpu) / median(bare_cpu), "×", None)
        row(
            "peak memory once settled",
            median([r["maxrss_mb"] for r in runs]),
            "MB",
            SETTLED_MEMORY_TARGET_MB,
        )
        row("  memory in use when settled", median([r["rss_settled_mb"] for r in runs]), "MB", None)

    if "outline" in only:
        report["load_average"]["outline"] = os.getloadavg()
        print("outline…", flush=True)
        copy = working_copy(facts, "outline")
        r = spawn(
            "outline",
            ["--workspace", str(copy), "--facts", facts_arg, "--repeat", str(args.repeat)],
        )
        report["outline"] = {k: (summarize(v) if isinstance(v, list) else v) for k, v in r.items()}
        row("outline(ws, 500-section doc)", median(r["outline_ms"]), "ms", OUTLINE_TARGET_MS)
        row(
            "navigator reload, 500-section doc only",
            median(r["navigator_one_document_ms"]),
            "ms",
            OUTLINE_TARGET_MS,
        )
        row(
            "  + repaint of that navigator",
            median(r["navigator_one_document_paint_ms"]),
            "ms",
            None,
        )
        row(
            "navigator reload, whole workspace",
            median(r["navigator_full_reload_ms"]),
            "ms",
            None,
            "1,000 document rows, on start; sections are read when a document opens",
        )
        row("editor.show_section in that doc", median(r["editor_show_section_ms"]), "ms", None)

    if "saves" in only:
        report["load_average"]["saves"] = os.getloadavg()
        print("saves…", flush=True)
        copy = working_copy(facts, "saves")
        r = spawn(
            "saves", ["--workspace", str(copy), "--facts", facts_arg, "--saves", str(args.saves)]
        )
        report["saves"] = {
            "pragmas": r["pragmas"],
            "typing_ms": summarize(r["typing_ms"]),
            "spread_ms": summarize(r["spread_ms"]),
            "fsync_4k_ms": summarize(r["fsync_ms"]),
            "maxrss_mb": r["maxrss_mb"],
        }
        sync_ok = r["pragmas"]["synchronous"] == 2 and r["pragmas"]["synchronous_worker"] == 2
        row(
            "PRAGMA synchronous (2 = FULL)",
            r["pragmas"]["synchronous_worker"],
            "",
            None,
            "PASS" if sync_ok else "FAIL: not FULL",
        )
        for label, key in (("one section", "typing_ms"), ("spread over doc", "spread_ms")):
            v = r[key]
            row(f"save p50, {label}", percentile(v, 50), "ms", None)
            row(f"save p95, {label}", percentile(v, 95), "ms", SAVE_P95_TARGET_MS)
            row(f"save p99, {label}", percentile(v, 99), "ms", None)
        row("  disk floor: 4 KiB write+fsync p50", percentile(r["fsync_ms"], 50), "ms", None)
        row("  disk floor: 4 KiB write+fsync p95", percentile(r["fsync_ms"], 95), "ms", None)
        row("peak memory, save run", r["maxrss_mb"], "MB", None)

    ui_runs: dict[int, dict] = {}
    for n_comments in args.comments if "ui-saves" in only else ():
        # The typist's document carries this many comments (the CRM, the comments panel and
        # the gate all read them): realistic coordination, not an empty workspace.
        label = f", {n_comments:,} comments" if n_comments else ", no comments"
        report["load_average"][f"ui-saves{label}"] = os.getloadavg()
        print(f"UI blocking during {args.autosaves} autosaves{label}…", flush=True)
        copy = working_copy(facts, "ui-saves")
        if n_comments:
            add_comments(
                copy, facts["big_document_id"], facts["big_document_section_ids"], n_comments
            )
        r = spawn(
            "ui-saves",
            [
                "--workspace", str(copy), "--facts", facts_arg,
                "--autosaves", str(args.autosaves), "--debounce-ms", str(args.debounce_ms),
                "--key-ms", str(args.key_ms), "--pause-ms", str(args.pause_ms),
            ],
            profile_env("ui-saves"),
        )  # fmt: skip
        report[f"ui_saves{label}"] = {
            k: (summarize(v) if isinstance(v, list) and v and isinstance(v[0], float) else v)
            for k, v in r.items()
        }
        row(f"autosaves completed{label}", r["autosaves"], "", None)
        row(
            f"longest UI block while typing and saving{label}",
            r["max_gap_ms"],
            "ms",
            UI_BLOCK_TARGET_MS,
            "5 ms timer gap, panels' re-reads included",
        )
        row(f"  of which in a save's own refresh{label}", r["max_gap_during_saves_ms"], "ms", None)
        row(
            f"longest UI block selecting the document{label}",
            r["select_max_gap_ms"],
            "ms",
            UI_BLOCK_TARGET_MS,
            "until every panel shows it",
        )
        row(f"  select → every panel shown{label}", r["select_ms"], "ms", None)
        row(f"  timer gap when idle (noise){label}", r["idle_max_gap_ms"], "ms", None)
        row(f"  UI gaps over 50 ms while typing{label}", r["gaps_over_50ms"], "", None)
        row(
            f"longest UI-thread CPU between ticks, typing{label}",
            r["max_cpu_gap_ms"],
            "ms",
            UI_BLOCK_TARGET_MS,
            "what the UI thread itself spent (load-independent)",
        )
        row(f"  the same when idle (noise){label}", r["idle_max_cpu_gap_ms"], "ms", None)
        ui_runs[n_comments] = r
        row(f"autosave write (flush → saved){label}", median(r["write_to_saved_ms"]), "ms", None)
        row(
            f"refresh after save (saved → done){label}",
            median(r["saved_to_refreshed_ms"]),
            "ms",
            None,
        )
        row(f"peak memory, UI autosave run{label}", r["maxrss_mb"], "MB", None)
    if 0 in ui_runs:
        # Each comment count beside the same run's document without comments: what the
        # comments add to the UI thread's blocks, whatever the machine's load.
        base = ui_runs[0]
        for n_comments, r in ui_runs.items():
            if n_comments:
                for key, what in (("max_gap_ms", "wall"), ("max_cpu_gap_ms", "UI-thread CPU")):
                    row(
                        f"longest block ({what}), {n_comments:,} / no comments",
                        r[key] / base[key] if base[key] else None,
                        "×",
                        None,
                    )

    report["rows"] = [
        {"name": n, "value": v, "unit": u, "target": t,
         "verdict": note if note.startswith(("PASS", "FAIL")) else verdict(v, t), "note": note}
        for n, v, u, t, note in rows
    ]  # fmt: skip
    print_table(report["rows"])
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = OUT / f"foundation-{stamp}.json"
    path.write_text(json.dumps(report, indent=2))
    (OUT / "foundation-latest.json").write_text(json.dumps(report, indent=2))
    print(f"\nJSON: {path}")
    return 1 if any(r["verdict"].startswith("FAIL") for r in report["rows"]) else 0


def print_table(rows: list[dict]) -> None:
    print()
    print(f"{'measure':<44} {'value':>11} {'target':>10}  verdict")
    print("-" * 80)
    for r in rows:
        v, t, u = r["value"], r["target"], r["unit"]
        value = "" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))
        target = "" if t is None else f"≤ {t:g}"
        verdict_text = r["verdict"] if r["verdict"] != "info" else ""
        note = r["note"] if r["note"] and not r["note"].startswith(("PASS", "FAIL")) else ""
        print(f"{r['name']:<44} {value:>8} {u:<2} {target:>10}  {verdict_text} {note}".rstrip())


if __name__ == "__main__":
    sys.exit(main())
