"""Command-line commands for pdf (none yet)."""


def register(sub) -> None:
    pass
