"""Shared workspaces on PostgreSQL in the app: opening one, others' changes, merging a save."""
