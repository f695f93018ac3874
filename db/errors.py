"""Errors the store raises when a file cannot be opened as a workspace."""


class StoreError(Exception):
    """A workspace file could not be used; the message is written for the user."""


class NotAWorkspace(StoreError):
    pass


class DamagedWorkspace(StoreError):
    pass


class NewerWorkspace(StoreError):
    pass


class WorkspaceMissing(StoreError):
    pass


class MigrationFailed(StoreError):
    pass
