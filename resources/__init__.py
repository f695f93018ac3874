"""What the app ships besides code (fonts, styles, icons, demo and help text), as a package so an
installed or frozen copy carries it; read it through `resources.path`."""

from __future__ import annotations

from importlib import resources as _resources
from pathlib import Path


def path(*parts: str) -> Path:
    """A shipped file or folder on disk, wherever the install put the package."""
    return Path(str(_resources.files(__name__).joinpath(*parts)))
