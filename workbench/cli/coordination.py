"""Command-line commands for coordination (none yet)."""


def register(sub) -> None:
    pass
