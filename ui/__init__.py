"""The PySide6 desktop app: windows, dialogs and the worker that runs core writes."""

from __future__ import annotations


def _no_source_scan() -> None:
    """Stop PySide6 reading the source of every module imported after it.

    On each import PySide6 decides whether the module may use `from __feature__ import ...`
    by reading its whole source text (through linecache, which keeps it): ~460 modules, 22 MB
    kept for good and tens of milliseconds at start. No module here selects a feature, so
    every module gets what a module using PySide gets: feature set 0, "none selected".
    """
    try:
        import PySide6  # noqa: F401  (installs the import hook this adjusts)
        from shibokensupport import feature  # type: ignore[import-not-found]
    except ImportError:
        return
    if hasattr(feature, "_mod_uses_pyside"):
        feature._mod_uses_pyside = lambda _module: True


def _fewer_malloc_arenas() -> None:
    """One malloc arena per reader and writer thread keeps memory each has freed: two suffice
    for a handful of threads (glibc only; elsewhere nothing changes)."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass


_no_source_scan()
_fewer_malloc_arenas()
