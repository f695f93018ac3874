"""Errors raised by use-cases; each message is written for the person who caused it."""

from db.errors import (  # noqa: F401  (re-exported so callers need only the core)
    AlteredWorkspace,
    DamagedWorkspace,
    DiskFull,
    MigrationFailed,
    NewerWorkspace,
    NotAWorkspace,
    PasswordRefused,
    ReadOnlyWorkspace,
    StoreError,
    WorkspaceInUse,
    WorkspaceMissing,
)


class WorkbenchError(Exception):
    """Bad input or a rule the user broke; safe to show as-is."""


class NotFound(WorkbenchError):
    pass


class RuleViolation(WorkbenchError):
    pass
