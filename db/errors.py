"""Errors the store raises when a file cannot be opened as a workspace."""


class StoreError(Exception):
    """A workspace file could not be used; the message is written for the user."""


class NotAWorkspace(StoreError):
    pass


class DamagedWorkspace(StoreError):
    pass


class AlteredWorkspace(DamagedWorkspace):
    """The file's schema differs from the exact schema of its recorded version (a trigger, view
    or table the app never made, or one of its own missing or changed)."""


class NewerWorkspace(StoreError):
    pass


class WorkspaceMissing(StoreError):
    pass


class MigrationFailed(StoreError):
    pass


class WorkspaceInUse(StoreError):
    """Another CNE Workbench process has the workspace open for writing."""


class ReadOnlyWorkspace(StoreError):
    """The workspace was opened read-only (by choice, or because it cannot be written)."""


class DiskFull(StoreError):
    """A write failed because the disk (or the file's size limit) is full; nothing was saved."""


class PasswordRefused(StoreError):
    """A shared workspace's server wants a password for this account, and none (or the wrong
    one) was given."""
