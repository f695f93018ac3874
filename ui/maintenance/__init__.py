"""Workspace care in the app: the background check, Check Workspace, Restore from Backup."""
