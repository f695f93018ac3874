"""Command-line commands for maintenance (none yet)."""


def register(sub) -> None:
    pass
