"""Command-line commands for search (none yet)."""


def register(sub) -> None:
    pass
