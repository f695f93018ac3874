"""Command-line commands for exchange (none yet)."""


def register(sub) -> None:
    pass
