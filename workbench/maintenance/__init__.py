"""Keeping the record safe: integrity checks, backups (taking, rotating, restoring)."""
